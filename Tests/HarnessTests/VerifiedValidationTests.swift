import Datasets
import Engine
import Foundation
import Store
import Testing
@testable import Harness

/// `dataset.verify`: the validation images a reviewer checks before any choice, and the accuracy
/// every trial records on them.
@Suite struct VerifiedValidationTests {
    private func load(_ verify: String) throws -> ExperimentConfig {
        let text = """
            name: verified
            seeds: [1, 2]
            dataset:
              scenario: steel-defects
              image_size: 16
              per_class: {train: 6, val: 5, test: 4}
              noise: {model: uniform, rate: 0.4}
              verify: \(verify)
            baseline:
              train: {epochs: 1, batch: 16}

            """
        let path = NSTemporaryDirectory() + "flywheel-verified-\(UUID().uuidString.prefix(8)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ExperimentConfig.load(path)
    }

    @Test func theReviewerChecksCountValidationImagesDrawnFromTheSeed() throws {
        let config = try load("{count: 12, reviewer: gold}")
        let data = try config.data(seed: 1)
        let validation = data.indices(in: .validation)
        let checked = try #require(try config.verifiedValidation(of: data, seed: 1))
        #expect(checked.count == validation.count)
        let reviewed = checked.indices.filter { checked[$0] >= 0 }
        #expect(reviewed.count == 12)
        #expect(reviewed.allSatisfy { checked[$0] == data.gold[validation[$0]] })   // the gold reviewer writes the truth
        #expect(validation.contains { data.delivered[$0] != data.gold[$0] })      // while the delivered labels are noisy
        #expect(try config.verifiedValidation(of: data, seed: 1) == checked)       // the same draw every time
        #expect(try config.verifiedValidation(of: try config.data(seed: 2), seed: 2) != checked)
        #expect(config.analysisPlan.checkedValidationImages == 12)
    }

    @Test func theCheckedAccuracyIsScoredOnTheCheckedImagesOnly() throws {
        let config = try load("{count: 12, reviewer: consistent}")
        let data = try config.data(seed: 1)
        let validation = data.indices(in: .validation)
        // Checked labels equal to the delivered ones on every image give the accuracy as delivered.
        let all = try ScoredTraining(recipe: config.baseline.recipe, data: data, seed: 1, verified: validation.map { data.delivered[$0] })
        #expect(all.validation.verifiedAccuracy == all.validation.accuracy)
        #expect(all.validation.verifiedBalancedAccuracy == all.validation.balancedAccuracy)
        // None checked: no checked accuracy.
        let none = try ScoredTraining(recipe: config.baseline.recipe, data: data, seed: 1, verified: validation.map { _ in -1 })
        #expect(none.validation.verifiedAccuracy == nil && none.validation.verifiedBalancedAccuracy == nil)
        // A trial records it, and the trial id changes with the review (it changes what the trial reports).
        let records = try ExperimentRunner(config: config, resultsFolder: NSTemporaryDirectory() + "flywheel-verified-run-\(UUID().uuidString.prefix(8))",
                                           threadsPerJob: 1, log: { _ in }).run().records
        #expect(records.allSatisfy { $0.metrics?.verifiedValidationAccuracy != nil })
        #expect(Set(try load("{count: 13, reviewer: consistent}").plan.map(\.id)).isDisjoint(with: config.plan.map(\.id)))
    }
}
