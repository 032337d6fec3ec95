import Store
import Testing
@testable import Harness

/// How finely a test set separates models: the labels confident learning flags on the baseline's
/// out-of-sample probabilities, and the binomial standard error.
@Suite struct TestSetQualityTests {
    /// A baseline trial whose model is sure of class `i % 3` for test image i, scored against `labels`.
    private func baseline(labels: [Int32], gold: Bool, seed: Int64 = 1) -> TrialRecord {
        var record = TrialRecord(trialID: "b\(seed)", experiment: "e", arm: .baseline, variant: "baseline", seed: seed, status: .completed,
                                 config: "", gitCommit: "c", versions: [:], startedAt: "", finishedAt: "", wallSeconds: 1, trainFLOPs: 1,
                                 classNames: ["a", "b", "c"])
        record.predictions = labels.indices.flatMap { i in (0..<3).map { $0 == i % 3 ? Float(0.9) : Float(0.05) } }
        record.testLabels = labels
        record.testLabelsAreGold = gold
        let correct = labels.indices.filter { Int(labels[$0]) == $0 % 3 }.count
        record.metrics = TrialMetrics(accuracy: Double(correct) / Double(labels.count), macroF1: 0, recall: [], precision: [], confusion: [],
                                      validationAccuracy: nil)
        return record
    }

    @Test func theFlaggedShareFindsLabelsTheModelContradictsAndTheResolutionFollows() throws {
        let clean = (0..<300).map { Int32($0 % 3) }
        var noisy = clean
        for i in stride(from: 0, to: 300, by: 10) { noisy[i] = (noisy[i] + 1) % 3 }   // 30 of 300 wrong
        let flagged = try #require(TestSetQuality(baseline: [baseline(labels: noisy, gold: false)]))
        #expect(abs(flagged.flaggedShare.mean - 0.1) < 0.02, "\(flagged.flaggedShare.mean)")
        #expect(flagged.resolution == flagged.flaggedShare.mean)   // above two standard errors (2 × 1.7 points)
        #expect(abs(flagged.standardError - (0.9 * 0.1 / 300).squareRoot()) < 1e-12)
        let cleanQuality = try #require(TestSetQuality(baseline: [baseline(labels: clean, gold: true)]))
        #expect(cleanQuality.flaggedShare.mean == 0 && cleanQuality.standardError == 0 && cleanQuality.resolution == 0)
        // On gold labels the flags are false alarms and do not count against the resolution.
        let gold = try #require(TestSetQuality(baseline: [baseline(labels: noisy, gold: true)]))
        #expect(gold.resolution == 2 * gold.standardError)
        var old = baseline(labels: noisy, gold: false)
        old.testLabels = nil
        #expect(TestSetQuality(baseline: [old]) == nil)   // files written before test labels were kept
    }
}
