import Datasets
import Foundation
import Store
import Testing
import Harness
import Reports

/// On a dataset without gold labels (a team's own images, nothing verified), no step or report
/// pretends to know the truth: a simulated reviewer is refused, and what needs the truth is not printed.
@Suite struct UnknownTruthTests {
    /// A generated dataset with its gold labels removed, saved where an experiment can point at it.
    private func datasetWithoutGold(in folder: String) throws -> String {
        var data = try Scenarios.named("solar-cells").generate(imageSize: 16, perClass: SplitCounts(train: 12, validation: 6, test: 6), seed: 4)
        data.gold = Array(repeating: -1, count: data.count)
        let path = folder + "/unverified.h5"
        try data.save(to: path)
        return path
    }

    private func experiment(_ steps: String, data: String) -> String {
        """
        name: unverified
        seeds: [1]
        dataset: {path: \(data)}
        baseline:
          train: {epochs: 3, batch: 16}
        arms:
          data-centric:
            choose: all-steps
            steps:
        \(steps)
        """
    }

    private func run(_ steps: String) throws -> (records: [TrialRecord], report: String) {
        let folder = NSTemporaryDirectory() + "flywheel-truth-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try experiment(steps, data: try datasetWithoutGold(in: folder)).write(toFile: folder + "/e.yaml", atomically: true, encoding: .utf8)
        let records = try ExperimentRunner(config: try ExperimentConfig.load(folder + "/e.yaml"), resultsFolder: folder + "/e", threadsPerJob: 1,
                                           log: { _ in }).run().records
        return (records, MarkdownReport.render(ExperimentAnalysis(records: records), command: "test"))
    }

    @Test func aSimulatedReviewerIsRefusedWhereTheTruthIsUnknown() throws {
        let (records, _) = try run("""
                  - label-issues: {folds: 2}
                  - relabel: {budget: 0.2, reviewer: consistent}
            """)
        let trial = try #require(records.first { $0.arm == .dataCentric })
        #expect(trial.status == .failed)
        #expect(trial.error.contains("arms.data-centric.steps[1].relabel"))
        #expect(trial.error.contains("reviewer: human") && trial.error.contains("prune"))
    }

    @Test func noTruthDependentFigureIsPrinted() throws {
        let (records, report) = try run("""
                  - label-issues: {folds: 2}
                  - prune: {budget: 0.1}
            """)
        let trial = try #require(records.first { $0.arm == .dataCentric })
        #expect(trial.status != .failed, "\(trial.error)")
        #expect(!trial.testLabelsAreGold)
        let outcomes = trial.curation.flatMap(\.stored.values.keys)
        for figure in ["flag_precision", "flag_recall", "removed_correct", "removed_wrong", "labels_fixed", "labels_broken", "collected_mislabelled"] {
            #expect(!outcomes.contains(figure), "\(figure) needs the truth")
            #expect(!report.contains(figure), "\(figure) needs the truth")
        }
        #expect(report.contains("test accuracy (labels as delivered)"))
        #expect(!report.contains("gold-labelled"))
    }
}
