import Foundation
import Store
import Testing
@testable import Harness

/// Every data step through the runner on a tiny scenario: each records its ledger, the steps
/// that need flags fail clearly without them, and the arm's effort counts the steps' trainings.
@Suite struct DataStepsRunTests {
    static func experiment(_ steps: String) -> String {
        """
        name: steps
        seeds: [1]
        dataset:
          scenario: solar-cells
          image_size: 16
          per_class: {train: 12, val: 4, test: 6, pool: 10}
          noise: {model: annotator-conventions, annotators: 3, strength: 1, ambiguity: 0.5, slip: 0.1}
        baseline:
          train: {epochs: 2, batch: 16}
        arms:
          data-centric:
            choose: all-steps
            steps:
        \(steps)
        """
    }

    private func run(_ steps: String) throws -> [TrialRecord] {
        let folder = NSTemporaryDirectory() + "flywheel-steps-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/steps.yaml"
        try Self.experiment(steps).write(toFile: path, atomically: true, encoding: .utf8)
        let runner = ExperimentRunner(config: try ExperimentConfig.load(path), resultsFolder: folder + "/steps", threadsPerJob: 1, log: { _ in })
        return try runner.run().records
    }

    @Test func everyStepRecordsWhatItDidAndCost() throws {
        let records = try run("""
                  - label-issues: {folds: 2, filter_by: predicted_neq_given}
                  - consensus: {annotators: 2, method: dawid-skene, count: 5}
                  - relabel: {count: 6, reviewer: gold}
                  - prune: {count: 2}
                  - collect: {count: 8, classes: 2}
                  - augment: {flips: true}
                  - dedup: {relative_radius: 0.05, leakage: report}
                  - active-learning: {rounds: 2, batch: 4, strategy: entropy}
            """)
        let trial = try #require(records.first { $0.arm == .dataCentric })
        #expect(trial.status == .completed, "\(trial.error)")
        #expect(trial.curation.map(\.name) == ["label-issues", "consensus", "relabel (gold oracle)", "prune", "collect", "augment", "dedup", "active-learning"])
        let step = Dictionary(uniqueKeysWithValues: trial.curation.map { ($0.name, $0) })
        #expect(step["label-issues"]!.effort?.trainings == 2)
        #expect(step["label-issues"]!.outcome(LabelIssuesOutcome.self)?.flagQuality != nil)
        #expect(step["consensus"]!.effort!.annotations <= 10)
        #expect(step["relabel (gold oracle)"]!.effort!.reviewed <= 6)
        #expect(step["relabel (gold oracle)"]!.outcome(RelabelStepOutcome.self)?.changes?.broken == 0, "the gold reviewer never breaks a label")
        #expect(step["prune"]!.outcome(PruneOutcome.self)!.removed.count <= 2)
        #expect(step["collect"]!.effort?.collected == 8)
        #expect(step["augment"]!.outcome(AugmentOutcome.self)?.multiplier == 2)
        #expect(step["active-learning"]!.outcome(ActiveLearningOutcome.self)?.labels.count == 2)
        #expect(step["active-learning"]!.effort?.annotations == 8)
        #expect(step["collect"]!.outcome(CollectOutcome.self)?.truth != nil, "scored against the truth, chosen by predictions")
        let analysis = ExperimentAnalysis(records: records)
        #expect(analysis.oracles == ["relabel (gold oracle)"])
        let arm = try #require(analysis.arm(.dataCentric))
        #expect(step["collect"]!.effort?.trainings == 0, "error analysis reuses the folds' validation recall")
        #expect(arm.trainings == 1 + 2 + 2, "the final training, the folds and two rounds")
    }

    @Test func collectionWithoutLabelIssuesTrainsForItsErrorAnalysis() throws {
        let records = try run("      - collect: {count: 8, classes: 2}\n")
        let trial = try #require(records.first { $0.arm == .dataCentric })
        #expect(trial.status == .completed, "\(trial.error)")
        #expect(trial.curation.first?.effort?.trainings == 1)
        #expect(trial.curation.first?.effort?.collected == 8)
    }

    @Test func inLoopAugmentationKeepsTheDataAndTheComputeButChangesTraining() throws {
        let records = try run("      - augment: {flips: true, vflips: true, in_loop: true}\n")
        let baseline = try #require(records.first { $0.arm == .baseline })
        let augmented = try #require(records.first { $0.arm == .dataCentric })
        #expect(augmented.status == .completed, "\(augmented.error)")
        #expect(augmented.curation.first?.storedValues == ["in_loop": 1, "samples_added": 0])
        #expect(augmented.trainFLOPs == baseline.trainFLOPs, "the same samples, seen as often")
        // Same data, model seed and batch order: only the flips can make the losses differ.
        #expect(augmented.curves.trainLoss != baseline.curves.trainLoss)
    }

    @Test func stepsThatNeedFlagsSaySo() throws {
        let records = try run("      - relabel: {budget: 0.2}\n")
        let trial = try #require(records.first { $0.arm == .dataCentric })
        #expect(trial.status == .failed)
        #expect(trial.error.contains("relabel works on flagged samples: put a label-issues step before it"), "\(trial.error)")
    }
}
