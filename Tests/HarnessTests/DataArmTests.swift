import Foundation
import Store
import Testing
@testable import Harness

/// The data-centric arm held to the model arm's rule: cumulative sub-arms chosen on validation,
/// and the data-then-model arm.
@Suite struct DataArmTests {
    static let experiment = """
        name: sub-arms
        seeds: [1, 2]
        dataset:
          scenario: solar-cells
          image_size: 16
          per_class: {train: 12, val: 6, test: 6, pool: 10}
          noise: {model: uniform, rate: 0.2}
        baseline:
          train: {epochs: 2, batch: 16}
        arms:
          model-centric:
            variants: [{train.lr: 0.05}]
          data-centric:
            then_model: true
            steps:
              - label-issues: {folds: 2}
              - relabel: {count: 4, reviewer: consistent}
              - collect: {count: 6, classes: 2, labels: consistent}
              - augment: {flips: true, in_loop: true}
          review-curve: {fractions: [0.25, 0.5], folds: 2}

        """

    private func load(_ text: String) throws -> ExperimentConfig {
        let folder = NSTemporaryDirectory() + "flywheel-arms-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try text.write(toFile: folder + "/sub-arms.yaml", atomically: true, encoding: .utf8)
        return try ExperimentConfig.load(folder + "/sub-arms.yaml")
    }

    @Test func subArmsEndAtEachStepThatChangesTheTrainingData() throws {
        let config = try load(Self.experiment)
        #expect(config.dataCentric!.subArms.map(\.name) == ["label-issues+relabel", "label-issues+relabel+collect",
                                                           "label-issues+relabel+collect+augment"])
        let whole = try load(Self.experiment.replacingOccurrences(of: "then_model: true", with: "choose: all-steps"))
        #expect(whole.dataCentric!.subArms.map(\.name) == ["label-issues+relabel+collect+augment"])
        // The whole recipe is the same trial either way.
        let wholeTrial = { (c: ExperimentConfig) in c.plan.first { $0.arm == .dataCentric && $0.steps.count == 4 }!.id }
        #expect(wholeTrial(config) == wholeTrial(whole))
        #expect(config.plan.filter { $0.seed == 1 && $0.arm == .dataThenModel }.map(\.variant.name) == ["train.lr=0.05"])
    }

    @Test func subArmsSeeTheSameDataUpToTheirLastStepAndTheArmChoosesOnValidation() throws {
        let config = try load(Self.experiment)
        let folder = NSTemporaryDirectory() + "flywheel-arms-run-\(UUID().uuidString.prefix(8))"
        let records = try ExperimentRunner(config: config, resultsFolder: folder, threadsPerJob: 1, log: { _ in }).run().records
        #expect(records.count == 2 * (1 + 1 + 3 + 1 + 3))
        for seed in [Int64(1), 2] {
            let subArms = records.filter { $0.seed == seed && $0.arm == .dataCentric }.sorted { $0.curation.count < $1.curation.count }
            #expect(subArms.map { $0.curation.count } == [2, 3, 4])
            for (shorter, longer) in zip(subArms, subArms.dropFirst()) {
                #expect(Array(longer.curation.prefix(shorter.curation.count)) == shorter.curation, "seed \(seed): \(shorter.variant)")
            }
            let thenModel = try #require(records.first { $0.seed == seed && $0.arm == .dataThenModel })
            #expect(thenModel.curation == subArms.last!.curation, "the variant trains on the whole recipe's data")
        }
        let analysis = ExperimentAnalysis(records: records)
        #expect(analysis.dataCandidates.map(\.name) == ["baseline", "label-issues+relabel", "label-issues+relabel+collect",
                                                      "label-issues+relabel+collect+augment"])
        #expect(analysis.dataCandidates.reduce(0) { $0 + $1.timesChosen } == 2, "one choice per seed")
        for seed in [1, 2] {
            let pool = records.filter { Int($0.seed) == seed && ($0.arm == .dataCentric || $0.arm == .baseline) }
            let expected = ValidationChoice(among: pool, maximising: { $0.metrics!.validationAccuracy! }).score
            #expect(analysis.arm(.dataCentric)!.accuracy[seed] == expected)
        }
        #expect(analysis.arm(.dataThenModel) != nil)
    }

    /// Trials of one run share the data steps they have in common (`CurationCache`); each trial
    /// run alone, as a Slurm array task runs it, recomputes them. Both give the same records.
    @Test func sharedDataStepsChangeNoResult() throws {
        let config = try load(Self.experiment)
        let shared = NSTemporaryDirectory() + "flywheel-shared-\(UUID().uuidString.prefix(8))"
        let alone = NSTemporaryDirectory() + "flywheel-alone-\(UUID().uuidString.prefix(8))"
        let together = try ExperimentRunner(config: config, resultsFolder: shared, jobs: 2, threadsPerJob: 1, log: { _ in }).run().records
        let runner = ExperimentRunner(config: config, resultsFolder: alone, threadsPerJob: 1, log: { _ in })
        let separately = try config.plan.indices.map { try runner.runTrial(at: $0).record }
        let byID = Dictionary(uniqueKeysWithValues: separately.map { ($0.trialID, $0) })
        #expect(together.count == separately.count)
        for record in together {
            let other = try #require(byID[record.trialID])
            #expect(record.curation == other.curation, "\(record.trialID)")
            #expect(record.metrics?.accuracy == other.metrics?.accuracy, "\(record.trialID)")
            #expect(record.metrics?.validationAccuracy == other.metrics?.validationAccuracy, "\(record.trialID)")
        }
    }

    /// A job is not handed a trial that would wait for the data steps another running trial is
    /// computing, while another trial can start; once the steps are stored, or nothing else is
    /// left, it is.
    @Test func theQueuePassesOverTrialsWaitingForSharedDataSteps() throws {
        let plan = try load(Self.experiment).plan
        let seedOne = plan.filter { $0.seed == 1 && $0.arm == .dataCentric }
        let other = try #require(plan.first { $0.seed == 2 && $0.arm == .baseline })
        #expect(seedOne.count == 3)
        var queue = TrialQueue((seedOne + [other]).map { ($0, $0.curationKeys) })
        var stored: Set<String> = []
        #expect(queue.next(isStored: stored.contains)?.id == seedOne[0].id)
        #expect(queue.next(isStored: stored.contains)?.id == other.id, "seed 1's other sub-arms share its label-issues step")
        #expect(queue.next(isStored: stored.contains)?.id == seedOne[1].id, "nothing else left: it starts and waits")
        stored.formUnion(seedOne[1].curationKeys)   // the running sub-arms' steps are done
        #expect(queue.next(isStored: stored.contains)?.id == seedOne[2].id)
        #expect(queue.next(isStored: stored.contains) == nil)

        var afterFinish = TrialQueue((seedOne + [other]).map { ($0, $0.curationKeys) })
        _ = afterFinish.next(isStored: { _ in false })
        afterFinish.finished(seedOne[0].id)   // failed: its steps are not stored, and nobody computes them now
        #expect(afterFinish.next(isStored: { _ in false })?.id == seedOne[1].id)
    }

    @Test func reviewCurveReviewsTheRankedTrainingLabelsAndEndsAtTheGoldLabelModel() throws {
        let config = try load(Self.experiment)
        let names = config.plan.filter { $0.seed == 1 && $0.arm == .reviewCurve }.map(\.variant.name)
        #expect(names == ["review 25%", "review 50%", ReviewCurveSpec.goldName])
        #expect(config.tableArmsOnly().plan.allSatisfy { $0.arm != .reviewCurve && $0.arm != .dataThenModel })
        #expect(Set(config.tableArmsOnly().plan.map(\.id)).isSubset(of: config.plan.map(\.id)), "the table's trials are the full plan's")
        let folder = NSTemporaryDirectory() + "flywheel-curve-\(UUID().uuidString.prefix(8))"
        let records = try ExperimentRunner(config: config, resultsFolder: folder, threadsPerJob: 1, log: { _ in }).run().records
        let trainingSize = 12 * 4
        for seed in [Int64(1), 2] {
            let curve = records.filter { $0.seed == seed && $0.arm == .reviewCurve }
            let reviewed = Dictionary(uniqueKeysWithValues: curve.map { ($0.variant, $0.curation[1].effort!.reviewed) })
            #expect(reviewed == ["review 25%": trainingSize / 4, "review 50%": trainingSize / 2, ReviewCurveSpec.goldName: trainingSize])
            let order = { (name: String) in curve.first { $0.variant == name }!.curation[1].outcome(RelabelStepOutcome.self)!.samples }
            #expect(Set(order(ReviewCurveSpec.goldName)).count == trainingSize, "rank: all hands on every training sample")
            #expect(Set(order("review 25%")).isSubset(of: order("review 50%")), "a smaller review is a prefix of the same ranking")
            let gold = try #require(curve.first { $0.variant == ReviewCurveSpec.goldName })
            #expect(gold.curation[1].name.contains("oracle"))
            #expect(gold.curation[1].outcome(RelabelStepOutcome.self)?.changes?.broken == 0)
        }
        let analysis = try #require(ExperimentAnalysis(records: records).reviewCurve)
        #expect(analysis.points.map(\.fraction) == [0, 0.25, 0.5, 1])
        #expect(analysis.seeds == [1, 2])
        #expect(!ExperimentAnalysis(records: records).oracles.contains { $0.contains("gold oracle") },
                "the curve's oracle reviews are the curve's, not the arms'")
    }

    @Test func reviewCurveFractionToTargetInterpolatesLinearly() {
        // Gold 0.80, so the target is 0.76: reached between 0.1 (0.70) and 0.2 (0.82), at 0.1 + 0.1 · 6/12.
        #expect(abs(ReviewCurve.crossing([(0, 0.6), (0.1, 0.70), (0.2, 0.82), (1, 0.80)]) - 0.15) < 1e-12)
        #expect(ReviewCurve.crossing([(0, 0.79), (0.5, 0.8), (1, 0.8)]) == 0, "the baseline already reaches it")
        #expect(ReviewCurve.crossing([(0, 0.5), (0.5, 0.6), (1, 0.8)]) > 0.5)
    }
}
