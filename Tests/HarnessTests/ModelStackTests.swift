import Foundation
import Store
import Testing
@testable import Harness

/// The model arm stacked like the data arm: greedy forward selection on validation, per seed, as
/// the results come in.
@Suite struct ModelStackTests {
    static let experiment = """
        name: stacks
        seeds: [1, 2]
        dataset:
          scenario: steel-defects
          image_size: 16
          per_class: {train: 8, val: 4, test: 4}
        baseline:
          train: {epochs: 1, batch: 16}
        arms:
          model-centric:
            variants: [cnn-wide, resnet-8, {train.flips: true}, {train.label_smoothing: 0.1}, {train.epochs: 2}]
            stack: {depth: 3, breadth: 2}

        """

    private func load(_ text: String) throws -> ExperimentConfig {
        let path = NSTemporaryDirectory() + "flywheel-stack-\(UUID().uuidString.prefix(8)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ExperimentConfig.load(path)
    }

    /// A finished trial of `trial` with validation accuracy `validation` (test accuracy the same).
    private func finished(_ trial: Trial, validation: Double) -> TrialRecord {
        var record = TrialRecord(trialID: trial.id, experiment: "stacks", arm: trial.arm, variant: trial.variant.name, seed: Int64(trial.seed),
                                 status: .completed, config: trial.resolvedConfig, gitCommit: "c", versions: [:], startedAt: "", finishedAt: "",
                                 wallSeconds: 1, trainFLOPs: 1, classNames: [])
        record.metrics = TrialMetrics(accuracy: validation, macroF1: 0, recall: [], precision: [], confusion: [], validationAccuracy: validation)
        record.inferenceFLOPs = 1
        return record
    }

    @Test func stacksGrowOnTheBestLeverAsTheResultsComeIn() throws {
        let config = try load(Self.experiment)
        let singles = config.plan.filter { $0.seed == 1 }
        #expect(singles.count == 6 && config.plan.count == 12)   // no stack before the single levers finish
        let validation = ["baseline": 0.50, "cnn-wide": 0.70, "resnet-8": 0.65, "train.flips=true": 0.60, "train.label_smoothing=0.1": 0.55, "train.epochs=2": 0.40]
        var done = singles.map { finished($0, validation: validation[$0.variant.name]!) }
        // Level 2: the best lever (cnn-wide) with the two next-best that combine with it; resnet-8 sets `model` too, so it is passed over.
        let level2 = config.plan(given: done).filter { $0.seed == 1 && $0.variant.name.contains(" + ") }
        #expect(level2.map(\.variant.name) == ["cnn-wide + train.flips=true", "cnn-wide + train.label_smoothing=0.1"])
        #expect(level2[0].variant.recipe.architecture == .cnnWide && level2[0].variant.recipe.training.randomFlips == .both)
        #expect(config.plan(given: done).filter { $0.seed == 2 }.count == 6)   // seed 2 has no results yet
        // Level 3 builds on the better stack, if it beats the lever alone.
        done += [finished(level2[0], validation: 0.75), finished(level2[1], validation: 0.72)]
        let level3 = config.plan(given: done).filter { $0.seed == 1 && $0.variant.name.components(separatedBy: " + ").count == 3 }
        #expect(level3.map(\.variant.name) == ["cnn-wide + train.flips=true + train.label_smoothing=0.1", "cnn-wide + train.flips=true + train.epochs=2"])
        // Depth 3 reached: nothing more, whatever the results.
        done += level3.map { finished($0, validation: 0.8) }
        #expect(config.plan(given: done).filter { $0.seed == 1 }.count == 6 + 2 + 2)
        // The stacks are the model arm's candidates, and count among its trainings.
        let analysis = ExperimentAnalysis(records: done)
        #expect(analysis.arm(.modelCentric)?.trainings == 5 + 4)
        #expect(analysis.variants.contains { $0.name == "cnn-wide + train.flips=true + train.epochs=2" })
    }

    @Test func noStackWhenNoLeverBeatsTheBaselineOrNoneImproves() throws {
        let config = try load(Self.experiment)
        let singles = config.plan.filter { $0.seed == 1 }
        let baselineBest = singles.map { finished($0, validation: $0.arm == .baseline ? 0.9 : 0.5) }
        #expect(config.plan(given: baselineBest).filter { $0.seed == 1 }.count == 6)
        // A level that does not beat the lever alone ends the stack.
        var done = singles.map { finished($0, validation: $0.variant.name == "train.flips=true" ? 0.8 : 0.5) }
        let level2 = config.plan(given: done).filter { $0.seed == 1 && $0.variant.name.contains(" + ") }
        #expect(level2.count == 2)
        done += level2.map { finished($0, validation: 0.7) }
        #expect(config.plan(given: done).filter { $0.seed == 1 }.count == 8)
    }

    @Test func aStackNeedsTwoVariantsAndADepth() throws {
        #expect(throws: ConfigError.self) { try load(Self.experiment.replacingOccurrences(of: "{depth: 3, breadth: 2}", with: "{breadth: 2}")) }
        do {
            _ = try load(Self.experiment.replacingOccurrences(of: "{depth: 3, breadth: 2}", with: "{depth: 1}"))
            Issue.record("a depth of 1 was accepted")
        } catch let error as ConfigError {
            #expect(error.message.hasPrefix("arms.model-centric.stack.depth: expected at least 2 levers"), "\(error.message)")
        }
    }
}
