import Foundation
import Store
import Testing
@testable import Harness

/// A variant that cannot learn is recorded as collapsed, with its evidence, and counted as a
/// failure of its arm: never chosen, never averaged in.
@Suite struct CollapseTests {
    static let experiment = """
        name: collapse
        seeds: [1]
        dataset:
          scenario: solar-cells
          image_size: 16
          per_class: {train: 20, val: 8, test: 8}
        baseline:
          train: {epochs: 4, batch: 16, lr: 0.02}
        arms:
          model-centric:
            variants: [{train.lr: 1e-12}]

        """

    @Test func aTrainingThatCannotLearnIsACollapsedFailureOfItsArm() throws {
        let folder = NSTemporaryDirectory() + "flywheel-collapse-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.experiment.write(toFile: folder + "/collapse.yaml", atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.load(folder + "/collapse.yaml")
        let records = try ExperimentRunner(config: config, resultsFolder: folder + "/collapse", threadsPerJob: 1, log: { _ in }).run().records
        let baseline = try #require(records.first { $0.arm == .baseline })
        let frozen = try #require(records.first { $0.arm == .modelCentric })
        #expect(baseline.status == .completed, "a slow but healthy training: \(baseline.error)")
        #expect(frozen.status == .collapsed)
        #expect(frozen.error.contains("never fell"))
        let reread = try TrialFile.read(folder + "/collapse/trials/\(frozen.trialID).h5")
        #expect(reread.status == .collapsed && reread.error == frozen.error, "the status and its evidence are stored")
        let analysis = ExperimentAnalysis(records: records)
        #expect(analysis.failures[.modelCentric] == 1)
        #expect(analysis.variants.map(\.name) == ["baseline"], "a collapsed candidate is never chosen")
        #expect(analysis.arm(.modelCentric)?.accuracy[1] == baseline.metrics!.accuracy)
    }
}
