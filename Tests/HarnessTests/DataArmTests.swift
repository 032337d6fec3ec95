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
        #expect(records.count == 2 * (1 + 1 + 3 + 1))
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
            let expected = ValidationChoice(among: pool, maximising: { $0.metrics!.validationAccuracy! }).accuracy
            #expect(analysis.arm(.dataCentric)!.accuracy[seed] == expected)
        }
        #expect(analysis.arm(.dataThenModel) != nil)
    }
}
