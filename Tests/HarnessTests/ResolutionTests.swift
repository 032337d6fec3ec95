import Foundation
import Store
import Testing
@testable import Harness

/// A trial is what it ran: its id and stored config come from the resolved recipe and steps, so a
/// default that changes in code changes the id, and a resumed run retrains rather than reusing a
/// trial trained under the old default.
@Suite struct ResolutionTests {
    static let experiment = """
        name: resolution
        seeds: [1, 2]
        dataset:
          scenario: steel-defects
          image_size: 16
          per_class: {train: 8, val: 4, test: 4}
        baseline:
          train: {epochs: 1, batch: 16}
        arms:
          model-centric:
            variants: [{train.lr: 0.05}]

        """

    private func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "flywheel-resolution-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// The same file, as if `Recipe`'s default Adam ε had changed in code since: the file does not
    /// set it, so every recipe takes the new default.
    private func withChangedDefault(_ config: ExperimentConfig) -> ExperimentConfig {
        var changed = config
        changed.baseline.recipe.training.optimizer.epsilon = 1e-7
        for index in changed.modelCentric.indices { changed.modelCentric[index].recipe.training.optimizer.epsilon = 1e-7 }
        return changed
    }

    @Test func theIdHashesTheResolvedRecipeNotTheFileAsWritten() throws {
        let path = try folder() + "/e.yaml"
        try Self.experiment.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.load(path)
        let changed = withChangedDefault(config)
        #expect(changed.tree == config.tree)   // the file as written is the same
        #expect(Set(changed.plan.map(\.id)).isDisjoint(with: config.plan.map(\.id)))
        #expect(changed.plan[0].resolvedConfig.contains("\"epsilon\" : 1e-07"), "\(changed.plan[0].resolvedConfig)")
        // Writing a default out explicitly resolves to the same trial.
        let explicit = try ExperimentConfig.load(path, overrides: ["baseline.train.momentum=0.9"])
        #expect(explicit.plan.map(\.id) == config.plan.map(\.id))
    }

    @Test func aResumeAfterADefaultChangedRetrainsAndReportsTheOldFiles() throws {
        let results = try folder()
        let path = results + "/e.yaml"
        try Self.experiment.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try ExperimentConfig.load(path)
        let first = try ExperimentRunner(config: config, resultsFolder: results + "/resolution", threadsPerJob: 1, log: { _ in }).run()
        #expect(first.missing.isEmpty && first.records.count == config.plan.count)

        let changed = withChangedDefault(config)
        let lines = LogLines()
        let second = try ExperimentRunner(config: changed, resultsFolder: results + "/resolution", threadsPerJob: 1, log: lines.append).run()
        #expect(Set(second.records.map(\.trialID)) == Set(changed.plan.map(\.id)))   // every trial trained again
        #expect(lines.all.contains { $0.contains("\(changed.plan.count) trials, 0 already done, \(changed.plan.count) to run") }, "\(lines.all)")
        #expect(lines.all.contains { $0.hasPrefix("warning: \(config.plan.count) trial file(s)") && $0.contains("another resolution") }, "\(lines.all)")

        // Reports read one file per trial, the newest; the old ones stay on disk, set aside.
        let scan = try TrialDirectory(path: results + "/resolution/trials").scan()
        #expect(Set(scan.records.map(\.trialID)) == Set(changed.plan.map(\.id)))
        #expect(Set(scan.superseded.map(\.trialID)) == Set(config.plan.map(\.id)))

        // Back to the old resolution: its files match the plan exactly and are reused, not retrained.
        let back = LogLines()
        let third = try ExperimentRunner(config: config, resultsFolder: results + "/resolution", threadsPerJob: 1, log: back.append).run()
        #expect(Set(third.records.map(\.trialID)) == Set(config.plan.map(\.id)))
        #expect(back.all.contains { $0.contains("\(config.plan.count) already done, 0 to run") }, "\(back.all)")
    }

    /// The analysis is not part of a trial's id, so an experiment that differs only in it — a claim's
    /// condition that chooses on checked labels beside one that chooses on the labels as delivered —
    /// reuses the trainings, and reads them under its own analysis, not the one they were trained under.
    @Test func trialsSharedByTwoAnalysesAreReadUnderEachOnesOwn() throws {
        let results = try folder()
        let path = results + "/e.yaml"
        try Self.experiment.write(toFile: path, atomically: true, encoding: .utf8)
        let verify = "dataset.verify={count: 8, reviewer: consistent}"
        let delivered = try ExperimentConfig.load(path, overrides: [verify])
        let checked = try ExperimentConfig.load(path, overrides: [verify, "analysis.choose_on=verified", "analysis.margin=0.05"])
        #expect(checked.plan.map(\.id) == delivered.plan.map(\.id))
        _ = try ExperimentRunner(config: delivered, resultsFolder: results + "/shared", threadsPerJob: 1, log: { _ in }).run()
        let lines = LogLines()
        let reread = try ExperimentRunner(config: checked, resultsFolder: results + "/shared", threadsPerJob: 1, log: lines.append).run()
        #expect(lines.all.contains { $0.contains("already done, 0 to run") }, "\(lines.all)")
        #expect(reread.records.allSatisfy { $0.analysisPlan?.chooseOn == .verified && $0.analysisPlan?.margin == 0.05 })
        #expect(ExperimentAnalysis(records: reread.records).analysisPlan.chooseOn == .verified)
    }

    /// A claim's conditions share one folder: each condition's trials are its siblings', not
    /// another resolution of them, so no warning — while a stale file still gets one.
    @Test func conditionsSharingAFolderAreNotTakenForAnotherResolution() throws {
        let results = try folder()
        let path = results + "/e.yaml"
        try Self.experiment.write(toFile: path, atomically: true, encoding: .utf8)
        let clean = try ExperimentConfig.load(path), noisy = try ExperimentConfig.load(path, overrides: ["dataset.noise={model: uniform, rate: 0.2}"])
        let siblings = Set((clean.plan + noisy.plan).map(\.id))
        _ = try ExperimentRunner(config: clean, resultsFolder: results + "/resolution", threadsPerJob: 1, log: { _ in }).run()
        let lines = LogLines()
        let runner = ExperimentRunner(config: noisy, resultsFolder: results + "/resolution", threadsPerJob: 1, log: lines.append)
        runner.siblingTrials = siblings
        _ = try runner.run()
        #expect(!lines.all.contains { $0.contains("another resolution") }, "\(lines.all)")

        // A default changed since: both conditions' files are of another resolution of today's plans.
        let stale = LogLines()
        let changed = ExperimentRunner(config: withChangedDefault(noisy), resultsFolder: results + "/resolution", threadsPerJob: 1, log: stale.append)
        changed.siblingTrials = Set((withChangedDefault(clean).plan + withChangedDefault(noisy).plan).map(\.id))
        _ = try changed.run()
        let count = clean.plan.count + noisy.plan.count
        #expect(stale.all.contains { $0.hasPrefix("warning: \(count) trial file(s)") && $0.contains("another resolution") }, "\(stale.all)")
    }
}

/// Log lines collected from a runner's jobs.
final class LogLines: @unchecked Sendable {
    private var lines: [String] = []
    private let lock = NSLock()
    var all: [String] { lock.withLock { lines } }
    func append(_ line: String) { lock.withLock { lines.append(line) } }
}
