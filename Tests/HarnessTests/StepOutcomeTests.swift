import Foundation
import Store
import Testing
@testable import Harness

/// Each data step's typed outcome is stored under the names trial files have always used (so
/// h5py readers and files written before the types see the same layout) and reads back whole,
/// through a trial file on disk.
@Suite struct StepOutcomeTests {
    /// Writes the records into a trial file and reads them back.
    private func roundTrip(_ steps: [StepRecord]) throws -> [StepRecord] {
        var record = TrialRecord(trialID: "t", experiment: "e", arm: .dataCentric, variant: "v", seed: 1, status: .completed, config: "{}",
                                 gitCommit: "c", versions: [:], startedAt: "", finishedAt: "", wallSeconds: 0, trainFLOPs: 0, classNames: ["a", "b"])
        record.curation = steps
        let folder = NSTemporaryDirectory() + "flywheel-outcomes-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try TrialFile.read(try TrialFile.write(record, to: folder)).curation
    }

    @Test func everyOutcomeKeepsItsStoredNamesAndReadsBackWhole() throws {
        let issues = LabelIssuesOutcome(flagged: [4, 1], estimatedNoiseRate: 0.1,
                                        flagQuality: FlagQuality(precision: 0.5, recall: 1, f1: 2.0 / 3, trulyWrong: 1))
        let review = RelabelStepOutcome(samples: [4], changes: (fixed: 1, broken: 0))
        let prune = PruneOutcome(removed: [1], removedWrong: 0)
        var collect = CollectOutcome(collected: [9, 8], targetedClasses: [1], validationRecall: ["a": 0.9, "b": 0.4])
        collect.truth = (mislabelled: 1, ofTargetedClass: 0.5)
        let augment = AugmentOutcome(inLoop: true, multiplier: nil, samplesAdded: 0)
        let dedup = DeduplicateOutcome(duplicatePairs: 2, exactPairs: 1, leaks: 0, validationLeaks: 1, typicalDistance: 0.3, radius: 0.03,
                                       removed: 2, redundant: [5, 6])
        let rounds = ActiveLearningOutcome(labels: [10, 20], validationAccuracy: [0.5, 0.6], testAccuracy: [0.55, 0.62])
        let consensus = ConsensusOutcome(review: RelabelStepOutcome(stored: StoredOutcome(values: ["labels_fixed": 2, "labels_broken": 1],
                                                                                           indices: ["reannotated": [3]])),
                                         annotatorAccuracy: [0.9, 0.7])
        let read = try roundTrip([
            StepRecord(name: "label-issues", outcome: issues), StepRecord(name: "relabel (gold oracle)", outcome: review),
            StepRecord(name: "prune", outcome: prune), StepRecord(name: "collect", outcome: collect), StepRecord(name: "augment", outcome: augment),
            StepRecord(name: "dedup", outcome: dedup), StepRecord(name: "active-learning", outcome: rounds),
            StepRecord(name: "consensus", outcome: consensus),
        ])
        #expect(read[0].outcome(LabelIssuesOutcome.self) == issues)
        #expect(Set(read[0].stored.values.keys) == ["flagged", "estimated_noise_rate", "flag_precision", "flag_recall", "flag_f1", "truly_wrong"])
        #expect(read[1].outcome(RelabelStepOutcome.self) == review)   // the oracle's label still names the step
        #expect(Set(read[1].stored.values.keys) == ["labels_fixed", "labels_broken"] && Set(read[1].stored.indices.keys) == ["reviewed"])
        #expect(read[2].outcome(PruneOutcome.self) == prune)
        #expect(read[2].stored.values == ["removed": 1, "removed_wrong": 0, "removed_correct": 1])
        let collected = try #require(read[3].outcome(CollectOutcome.self))
        #expect(collected.collected == [9, 8] && collected.targetedClasses == [1] && collected.validationRecall == ["a": 0.9, "b": 0.4])
        #expect(collected.truth?.mislabelled == 1 && collected.truth?.ofTargetedClass == 0.5)
        #expect(Set(read[3].stored.values.keys) == ["validation_recall_a", "validation_recall_b", "collected_mislabelled", "collected_of_targeted_class"])
        #expect(read[4].outcome(AugmentOutcome.self) == augment)
        #expect(read[5].outcome(DeduplicateOutcome.self) == dedup)
        #expect(read[6].outcome(ActiveLearningOutcome.self) == rounds)
        #expect(Set(read[6].stored.series.keys) == ["labels", "validation_accuracy", "test_accuracy"])
        #expect(read[7].outcome(ConsensusOutcome.self) == consensus)
        #expect(Set(read[7].stored.indices.keys) == ["reannotated"])
        // A record is read only as its own step's outcome.
        #expect(read[0].outcome(PruneOutcome.self) == nil && read[1].outcome(LabelIssuesOutcome.self) == nil)
    }

    @Test func fieldsThatNeedTheTruthAreAbsentWithoutIt() throws {
        let read = try roundTrip([StepRecord(name: "prune", outcome: PruneOutcome(removed: [1, 2], removedWrong: nil)),
                                  StepRecord(name: "relabel", outcome: RelabelStepOutcome(samples: [3], changes: nil))])
        #expect(read[0].stored.values == ["removed": 2])
        #expect(read[0].outcome(PruneOutcome.self)?.removedWrong == nil)
        #expect(read[1].stored.values.isEmpty && read[1].outcome(RelabelStepOutcome.self)?.changes == nil)
    }
}
