import Harness
import Store
import Testing

/// The look-alike pairs an imported set's noise is injected on are the pairs a model confuses most,
/// counted in both directions and summed over the calibration seeds.
@Suite struct ConfusedPairsTests {
    private func baseline(seed: Int64, confusion: [[Int]]) -> TrialRecord {
        var record = TrialRecord(trialID: "baseline-\(seed)", experiment: "real", arm: .baseline, variant: "baseline", seed: seed,
                                 status: .completed, config: "", gitCommit: "abc", versions: [:], startedAt: "", finishedAt: "",
                                 wallSeconds: 1, trainFLOPs: 1, classNames: ["a", "b", "c", "d"])
        record.metrics = TrialMetrics(accuracy: 0.5, macroF1: 0.5, recall: [0.5, 0.5, 0.5, 0.5], precision: [0.5, 0.5, 0.5, 0.5],
                                      confusion: confusion, validationAccuracy: 0.5)
        return record
    }

    @Test func pairsAreRankedByMistakesBothWaysOverSeeds() {
        // Seed 1: a→b 3, b→a 2 (5); c→d 4 (4); a→c 1. Seed 2: c→d 1, d→c 1 (c/d: 6 in all); b→d 2.
        let first = baseline(seed: 1, confusion: [[10, 3, 1, 0], [2, 10, 0, 0], [0, 0, 10, 4], [0, 0, 0, 10]])
        let second = baseline(seed: 2, confusion: [[10, 0, 0, 0], [0, 10, 0, 2], [0, 0, 10, 1], [0, 0, 1, 10]])
        let pairs = ConfusedPair.ranked([first, second], count: 3)
        #expect(pairs == [ConfusedPair(first: "c", second: "d", mistakes: 6), ConfusedPair(first: "a", second: "b", mistakes: 5),
                          ConfusedPair(first: "b", second: "d", mistakes: 2)])
        #expect(ConfusedPair.yaml(pairs) == "[[c, d], [a, b], [b, d]]")
    }

    @Test func tiesGoToLowerClassIndicesAndUnconfusedPairsAreLeftOut() {
        let record = baseline(seed: 1, confusion: [[10, 0, 0, 2], [0, 10, 2, 0], [0, 0, 10, 0], [0, 0, 0, 10]])
        #expect(ConfusedPair.ranked([record], count: 5).map { "\($0.first)/\($0.second)" } == ["a/d", "b/c"])
    }
}
