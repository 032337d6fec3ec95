import Datasets
import Engine
import Foundation
@testable import Harness
import Testing

/// What the claims' experiments need of an experiment file: imbalance, drift, class-conditional
/// noise, the inference budget, class weighting and oversampling.
@Suite struct DataShiftTests {
    @Test func imbalanceThinsTheRareClassOutsideTheTestSetAndDriftShiftsOnlyTheNamedSplits() throws {
        let text = ExperimentConfigTests.valid.replacingOccurrences(of: "  noise: {model: annotator-conventions, annotators: 3, slip: 0.05}",
                                                                    with: "  imbalance: {classes: [crazing], ratio: 5}")
        let plain = try ExperimentConfig.decode(ConfigTree.parse(ExperimentConfigTests.valid.replacingOccurrences(
            of: "  noise: {model: annotator-conventions, annotators: 3, slip: 0.05}\n", with: ""), file: "plain"))
        let thinned = try ExperimentConfig.decode(ConfigTree.parse(text, file: "thinned")).data(seed: 3)
        let count = { (data: Dataset, split: Split, label: Int32) in data.indices(in: split).filter { data.gold[$0] == label }.count }
        #expect((6...20).contains(count(thinned, .train, 0)), "\(count(thinned, .train, 0)) of 60 crazing kept at 1/5")
        #expect(count(thinned, .train, 1) == 60 && count(thinned, .test, 0) == 100)
        let drifted = try ExperimentConfig.decode(ConfigTree.parse(ExperimentConfigTests.valid.replacingOccurrences(
            of: "  noise: {model: annotator-conventions, annotators: 3, slip: 0.05}", with: "  drift: {test: {brightness: -0.3}}"), file: "drift")).data(seed: 3)
        let original = try plain.data(seed: 3)
        let pixels = { (data: Dataset, split: Split) in data.indices(in: split).flatMap { Array(data.pixels[($0 * data.imageSize)..<(($0 + 1) * data.imageSize)]) } }
        #expect(pixels(drifted, .train) == pixels(original, .train))
        let darker = zip(pixels(drifted, .test), pixels(original, .test)).map { Double($0) - Double($1) }
        #expect(darker.reduce(0, +) / Double(darker.count) < -40, "the test images are darker by about 0.3 × 255 where not clipped")
        #expect(throws: ConfigError.self) {
            try ExperimentConfig.decode(ConfigTree.parse(text.replacingOccurrences(of: "[crazing]", with: "[cracks]"), file: "unknown"))
        }
    }

    @Test func classConditionalNoiseFlipsOnlyWithinLookAlikePairs() throws {
        let text = ExperimentConfigTests.valid.replacingOccurrences(of: "{model: annotator-conventions, annotators: 3, slip: 0.05}",
                                                                    with: "{model: class-conditional, rate: 0.3}")
        let data = try ExperimentConfig.decode(ConfigTree.parse(text, file: "cc")).data(seed: 5)
        let train = data.indices(in: .train)
        let pairs: Set<[Int32]> = [[0, 4], [4, 0], [1, 3], [3, 1], [5, 0], [0, 5]]   // steel's look-alike pairs, both ways
        let flipped = train.filter { data.gold[$0] != data.delivered[$0] }
        #expect(flipped.allSatisfy { pairs.contains([data.gold[$0], data.delivered[$0]]) })
        #expect(!flipped.contains { data.gold[$0] == 2 }, "patches has no look-alike")
        let rate = Double(flipped.count) / Double(train.count)
        #expect(abs(rate - 0.3 * 5 / 6) < 0.06, "\(rate)")
        #expect(data.indices(in: .test).allSatisfy { data.gold[$0] == data.delivered[$0] })
    }

    @Test func theInferenceBudgetLeavesOutTheVariantsOverItAndRefusesABaselineOverIt() throws {
        let budget = ExperimentConfigTests.valid.replacingOccurrences(of: "  model-centric:\n", with: "  model-centric:\n    max_inference_mflops: 6\n")
        let config = try ExperimentConfig.decode(ConfigTree.parse(budget, file: "budget"))
        #expect(config.modelCentric.map(\.name) == ["train.optimizer=adam,train.lr=1e-3", "train.epochs=60"].map { $0 })
        #expect(config.excludedVariants.map(\.name) == ["cnn-wide", "resnet-8"])
        #expect(config.excludedVariants.allSatisfy { $0.mflops > 6 })
        do {
            _ = try ExperimentConfig.decode(ConfigTree.parse(budget.replacingOccurrences(of: "max_inference_mflops: 6", with: "max_inference_mflops: 2"), file: "tight"))
            Issue.record("a baseline over the budget was accepted")
        } catch let error as ConfigError {
            #expect(error.message.contains("arms.model-centric.max_inference_mflops: the baseline needs 5.28 MFLOPs per image"), "\(error.message)")
        }
    }

    @Test func classWeightingAndOversamplingEvenTheClassesOut() throws {
        var data = try Scenarios.named("steel-defects").generate(imageSize: 16, perClass: SplitCounts(train: 10, validation: 1, test: 1, pool: 0), seed: 1)
        data = try Imbalance(keep: [0.3, 1, 1, 1, 1, 1]).apply(to: data, seed: 2)
        let train = data.indices(in: .train)
        var training = TrainingConfig()
        training.oversample = true
        let oversampled = try data.trainingImages(train, for: training)
        let counts = Dictionary(grouping: oversampled.labels, by: { $0 }).mapValues(\.count)
        #expect(Set(counts.values) == [10], "\(counts)")
        training.oversample = false
        training.sampleWeights = .balanced
        let weighted = try data.trainingImages(train, for: training)
        let weights = try #require(weighted.weights)
        #expect(abs(weights.reduce(0, +) / Float(weights.count) - 1) < 1e-5)
        let perClass = Dictionary(grouping: zip(weighted.labels, weights), by: { $0.0 }).mapValues { $0.reduce(0) { $0 + $1.1 } }
        #expect(perClass.values.allSatisfy { abs($0 - perClass.values.first!) < 1e-4 }, "\(perClass)")
    }
}

/// An experiment on a team's file with train/ and test/ only: a validation split carved per seed
/// (`dataset.val_fraction`), so the arms have something to choose on.
@Suite struct CarvedValidationTests {
    @Test func anExperimentOnTrainAndTestFoldersChoosesOnAValidationSplitCarvedPerSeed() throws {
        let folder = NSTemporaryDirectory() + "flywheel-carve-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Scenarios.named("steel-defects").generate(imageSize: 16, perClass: SplitCounts(train: 10, validation: 0, test: 3), seed: 1)
            .save(to: folder + "/team.h5")
        let text = "name: team\nseeds: [1, 2]\ndataset: {path: \(folder)/team.h5}\nbaseline:\n  train: {epochs: 1}\n"
        try text.write(toFile: folder + "/team.yaml", atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.load(folder + "/team.yaml")
        #expect(config.data.validationFraction == DataSpec.defaultValidationFraction)
        let one = try config.data(seed: 1), two = try config.data(seed: 2)
        #expect(one.indices(in: .validation).count == 12 && one.indices(in: .train).count == 48)   // 2 of 10 per class, 6 classes
        #expect(one.indices(in: .validation) != two.indices(in: .validation))
        let custom = try ExperimentConfig.load(folder + "/team.yaml", overrides: ["dataset.val_fraction=0.5"])
        #expect(try custom.data(seed: 1).indices(in: .validation).count == 30)
        #expect(Set(custom.plan.map(\.id)).isDisjoint(with: config.plan.map(\.id)))   // the fraction is part of the trial
        #expect(throws: ConfigError.self) {
            try ExperimentConfig.load(folder + "/team.yaml", overrides: ["dataset={scenario: steel-defects, val_fraction: 0.3}"])
        }
    }
}
