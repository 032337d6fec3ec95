import Audit
import Curation
import Datasets
import Engine
import Foundation
import Harness
import Testing

/// `flywheel audit` on the real NEU steel images (../shared/data), as a team would meet them:
/// with noisy labels it ranks review first; with clean labels and little data, more data; as
/// published, it reports its flags without ranking review first, and finds exactly the leakage
/// injected into the test split.
@Suite(.serialized) struct AuditTests {
    /// The team's shared folder: $FLYWHEEL_SHARED, or `shared/` beside the repository (as CI lays it out).
    private static let shared = ProcessInfo.processInfo.environment["FLYWHEEL_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

    /// The NEU images at 32 px, labels taken as verified, half of each class for training,
    /// a fifth for validation, the rest for the test split.
    private static func neu() throws -> Dataset {
        var options = ImportOptions()
        options.imageSize = 32
        options.labelsAreGold = true
        options.fractions = [.train: 0.5, .validation: 0.2, .test: 0.3]
        return try Dataset.importFolder(shared + "/data/neu-det", options: options).dataset
    }

    /// The data levers alone: no other architecture, no change of training.
    private func audit() -> Audit {
        var audit = Audit()
        audit.variants = []
        audit.trainingChanges = []
        audit.threads = ProcessInfo.processInfo.activeProcessorCount
        return audit
    }

    private func run(_ audit: Audit, _ data: Dataset) throws -> AuditResult {
        try Parallelism.withWorkers(audit.threads) { try audit.run(data) }
    }

    /// Four training labels in ten flipped to another class at random: review gains at least five
    /// points, ranks among the first two levers by gain and first by gain per unit of cost. (By gain
    /// alone review and collecting as many images again tie here, and rounding decides: at 1fcbd0a
    /// on an Intel Xeon with OpenBLAS's SkylakeX kernels, dropping the flagged images gained +7.4
    /// points and collection +7.7 with one BLAS thread, review led with two. At two in ten the
    /// ranking went either way between noise draws: the automatic stand-ins for a review gained
    /// +5.5 and +15.9 points, collection +6.8 and +4.7.)
    @Test func withFourLabelsInTenWrongReviewGivesMostPerCost() throws {
        var data = try Self.neu()
        var g = SplitMix64(seed: 7)
        let k = UInt64(data.classNames.count)
        for sample in data.indices(in: .train) where g.nextUniform() < 0.4 {
            data.delivered[sample] = Int32((UInt64(data.delivered[sample]) + 1 + g.next() % (k - 1)) % k)
        }
        let result = try run(audit(), data)
        #expect(result.scoring.verified && result.scoring.split == .test)
        let levers = "\(result.levers.map { ($0.action, $0.meanGain, $0.cost) })"
        let review = try #require(result.levers.filter { $0.kind == .reviewLabels }.max { $0.meanGain < $1.meanGain }, "\(levers)")
        #expect(review.meanGain >= 0.05, "\(levers)")
        #expect(result.levers.prefix(2).contains { $0.kind == .reviewLabels }, "\(levers)")
        let perCost = result.levers.filter { $0.cost > 0 }.max { $0.meanGain / $0.cost < $1.meanGain / $1.cost }
        #expect(perCost?.kind == .reviewLabels, "\(levers)")
        let flags = try #require(result.labelIssues.flagScore)
        #expect(flags.precision > 0.5 && flags.recall > 0.5, "flag precision \(flags.precision), recall \(flags.recall)")
    }

    @Test func withCleanLabelsAndMostImagesHeldBackMoreDataRanksFirst() throws {
        var data = try Self.neu()
        let train = data.indices(in: .train)
        for (position, sample) in train.enumerated() where position % 5 != 0 { data.splits[sample] = .pool }
        // Model variants are left out: on 180 images a deeper network's gain moves with the BLAS kernel's
        // rounding (under SkylakeX cnn-deep led, +7.8 points against +5.0 for more data; under Haswell and
        // Cooperlake more data led), so which of those two leads is not something this test can pin.
        let result = try run(audit(), data)
        #expect(result.training.count == (train.count + 4) / 5)
        #expect(result.levers.first?.kind == .collectData, "\(result.levers.map { ($0.action, $0.meanGain) })")
    }

    @Test func asPublishedItReportsItsFlagsAndFindsExactlyTheInjectedLeakage() throws {
        var data = try Self.neu()
        let published = DuplicateReport(data).trainTestLeaks.map { [$0.first, $0.second] }
        let train = data.indices(in: .train), test = data.indices(in: .test), size = data.imageSize
        var injected: [[Int]] = []
        for (k, (source, target)) in [(train[11], test[5]), (train[301], test[150]), (train[620], test[400])].enumerated() {
            for p in 0..<size {
                let value = Int(data.pixels[source * size + p])
                data.pixels[target * size + p] = UInt8(clamping: k == 0 ? value : k == 1 ? value + 10 : value + (p % 3) - 1)
            }
            data.delivered[target] = data.delivered[source]; data.gold[target] = data.gold[source]
            injected.append([source, target])
        }
        let result = try run(audit(), data)
        let leaks = result.duplicates.trainTestLeaks.map { [$0.first, $0.second] }
        #expect(Set(leaks) == Set(published + injected))
        #expect(result.levers.first?.kind != .reviewLabels, "\(result.levers.map { ($0.action, $0.meanGain) })")
        #expect(result.labelIssues.ranked.count < result.training.count / 10, "\(result.labelIssues.ranked.count) flags on labels believed clean")
        #expect(result.accuracyWithoutLeaks.count == result.seeds.count)
    }

    /// Each change of training is measured like a model variant, and both ways round: from the
    /// recipe, and from the changed recipe back (cosine ↔ constant, flips ↔ none). The two audits'
    /// gains are each other's negatives seed by seed (the same trainings, baseline and lever
    /// swapped), and not all zero, so the change did reach the trainer. Class weights change nothing
    /// on equally large classes, so that case thins one class's training images to 6 of 20.
    @Test(arguments: TrainingChange.allCases)
    func aChangeOfTrainingIsMeasuredBothWaysRound(_ change: TrainingChange) throws {
        var data = try Scenarios.named("solar-cells").generate(imageSize: 16, perClass: SplitCounts(train: 20, validation: 6, test: 12), seed: 4)
        if change == .classWeights {
            for sample in data.indices(in: .train).filter({ data.delivered[$0] == 0 }).dropFirst(6) { data.splits[sample] = .pool }
        }
        var there = Audit()
        there.recipe.training.epochs = 3
        there.folds = 2
        there.seeds = [1, 2, 3]
        there.variants = []
        there.trainingChanges = [change]
        var back = there
        back.recipe = change.applied(to: there.recipe)
        #expect(change.applied(to: back.recipe) == there.recipe)
        let forth = try #require(try there.run(data).levers.first { $0.kind == .changeTraining })
        let returned = try #require(try back.run(data).levers.first { $0.kind == .changeTraining })
        let actions = [TrainingChange.schedule: ["train with a cosine schedule instead of a constant learning rate",
                                                 "train with a constant learning rate instead of a cosine schedule"],
                       .flips: ["train with random flips in the loop (both axes)", "train without random flips"],
                       .classWeights: ["weight the loss by inverse class frequency (each class alike)",
                                       "train with every image weighted alike instead of by inverse class frequency"]]
        #expect([forth.action, returned.action] == actions[change])
        #expect(forth.gains == returned.gains.map { -$0 }, "\(forth.gains) against \(returned.gains)")
        #expect(forth.gains.contains { $0 != 0 }, "\(forth.gains)")
    }

    /// A recipe whose training diverges (its loss no longer finite: here a learning rate of 1,000)
    /// stops the audit with an error that names the training and what to change, rather than with
    /// the NaN probabilities the diverged model would leave behind.
    @Test func aRecipeThatDivergesStopsTheAuditNamingTheTraining() throws {
        let data = try Scenarios.named("solar-cells").generate(imageSize: 16, perClass: SplitCounts(train: 20, validation: 6, test: 12), seed: 4)
        var audit = Audit()
        audit.recipe.training.epochs = 2
        audit.recipe.training.learningRate = 1000
        audit.folds = 2
        audit.seeds = [1, 2]
        audit.variants = []
        audit.trainingChanges = []
        let diverged = try #require(throws: TrainingDiverged.self) { try audit.run(data) }
        #expect(diverged.what == "cross-validation fold 1 of 2: cnn-small from seed 1" && (1...2).contains(diverged.epoch), "\(diverged)")
        #expect("\(diverged)".hasSuffix("train with a lower learning rate or anneal it (--lr, --schedule cosine; in an experiment file train.lr, train.schedule: cosine)"))
    }

    /// Trainings run side by side give the figures they give one after another (each is a pure
    /// function of its inputs and its engine threads): on a noisy scenario with copies in its
    /// training split, a model variant and the changes of training, so that every kind of training runs.
    @Test func sideBySideTheAuditGivesTheFiguresItGivesOneAfterAnother() throws {
        var data = try Scenarios.named("solar-cells").generate(imageSize: 16, perClass: SplitCounts(train: 24, validation: 6, test: 12), seed: 3)
        let train = data.indices(in: .train)
        for (copy, source) in zip(train.suffix(4), train.prefix(4)) {
            for p in 0..<data.imageSize { data.pixels[copy * data.imageSize + p] = data.pixels[source * data.imageSize + p] }
        }
        var g = SplitMix64(seed: 5)
        let k = UInt64(data.classNames.count)
        for sample in train where g.nextUniform() < 0.3 {
            data.delivered[sample] = Int32((UInt64(data.delivered[sample]) + 1 + g.next() % (k - 1)) % k)
        }
        var audit = Audit()
        audit.recipe.training.epochs = 2
        audit.folds = 2
        audit.seeds = [1, 2]
        audit.variants = [.cnnDeep]
        var sideBySide = audit
        sideBySide.jobs = 3
        let alone = try audit.run(data), together = try sideBySide.run(data)
        #expect(!alone.duplicates.redundant.isEmpty)
        #expect(together.levers.count == 8, "\(together.levers.map(\.action))")
        #expect(together.levers.map(\.action) == alone.levers.map(\.action))
        #expect(together.levers.map(\.gains) == alone.levers.map(\.gains))
        #expect(together.labelIssues.ranked == alone.labelIssues.ranked)
        #expect(together.learningCurve.points.map(\.accuracy) == alone.learningCurve.points.map(\.accuracy))
        #expect(together.baselineAccuracy == alone.baselineAccuracy)
    }
}
