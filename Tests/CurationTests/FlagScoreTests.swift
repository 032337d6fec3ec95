import Curation
import Testing

/// How a set of flags is scored against the labels known to be wrong, in numbers and in words.
@Suite struct FlagScoreTests {
    @Test func precisionAndRecallCountTheFlagsThatHitAWrongLabel() {
        // Labels 1, 3 and 4 are wrong; 1, 2 and 3 are flagged: two hits of three flags, two of three wrong labels.
        let score = FlagScore(flagged: [1, 2, 3], noiseMask: [false, true, false, true, true, false])
        #expect(score.precision == 2.0 / 3 && score.recall == 2.0 / 3 && score.trulyWrong == 3)
        #expect(score.text() == "precision 0.67, recall 0.67 (3 labels wrong)")
        #expect(score.text(decimals: 3, f1: true) == "precision 0.667, recall 0.667, F1 0.667 (3 labels wrong)")
    }

    /// With no wrong label there is nothing to recall: the words say every flag is a false alarm
    /// rather than "recall 1.00", which read as if every wrong label had been found.
    @Test func withNoWrongLabelTheFlagsAreCalledFalseAlarms() {
        let score = FlagScore(flagged: [0, 2], noiseMask: [false, false, false])
        #expect(score.precision == 0)
        #expect(score.text() == "no label is wrong, so all 2 flags are false alarms")
        #expect(FlagScore(flagged: [], noiseMask: [false]).text() == "no label is wrong and none is flagged")
    }
}
