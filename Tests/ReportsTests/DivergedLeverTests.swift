@testable import Audit
import Curation
import Engine
@testable import Reports
import Testing

/// A lever whose training diverged on some seeds is measured on the others and says so; one that
/// diverged on every seed is listed last, not measured, in the report, the CSV and the ranking.
@Suite struct DivergedLeverTests {
    private func score(_ accuracy: Double, diverged epoch: Int? = nil) -> AuditTrainer.Score {
        AuditTrainer.Score(accuracy: accuracy, recall: [accuracy], correct: [], cpuSeconds: 1,
                           diverged: epoch.map { TrainingDiverged(what: "resnet-8, seed 2: resnet-8 from seed 2", epoch: $0, learningRate: 0.02) })
    }

    private func lever(_ action: String, gains: [Double], basis: String = "retrained, 3 seeds") -> Lever {
        Lever(kind: .changeModel, action: action, gains: gains, cost: 0, basis: basis)
    }

    @Test func theNoteNamesTheSeedsAndTheEpochs() {
        let seeds: [UInt64] = [1, 2, 3]
        #expect(Audit.divergenceNote([score(0.8), score(0.9), score(0.85)], seeds: seeds) == "")
        #expect(Audit.divergenceNote([score(0.8), score(.nan, diverged: 4), score(0.85)], seeds: seeds)
                == "; diverged on seed 2 in epoch 4, at learning rate 0.02 (left out)")
        #expect(Audit.divergenceNote([score(.nan, diverged: 1), score(.nan, diverged: 2), score(.nan, diverged: 1)], seeds: seeds)
                == "; diverged on every seed (seed 1 in epoch 1, seed 2 in epoch 2, seed 3 in epoch 1, at learning rate 0.02): not measured")
    }

    @Test func aDivergedSeedIsLeftOutAndALeverNeverMeasuredRanksLast() throws {
        let partly = lever("train cnn-deep instead of cnn-small", gains: [0.02, .nan, 0.04], basis: "retrained, 3 seeds; diverged on seed 2 in epoch 4, at learning rate 0.02 (left out)")
        let never = lever("train resnet-8 instead of cnn-small", gains: [.nan, .nan, .nan], basis: "retrained, 3 seeds; diverged on every seed (…): not measured")
        let losing = lever("remove 3 redundant training copies", gains: [-0.05, -0.04, -0.06])
        #expect(partly.measuredGains == [0.02, 0.04])
        #expect(try #require(partly.gain).mean == 0.03 && partly.pValue != nil)
        #expect(never.gain == nil && never.pValue == nil)
        let ranked = Lever.ranked([never, losing, partly])
        #expect(ranked.map(\.action) == [partly.action, losing.action, never.action])

        let csv = AuditFiles.leverCSV(ranked).split(separator: "\n").map(String.init)
        #expect(csv[1].hasPrefix("1,change the model,train cnn-deep instead of cnn-small,3.000,"), "\(csv[1])")
        #expect(csv[3].hasPrefix("3,change the model,train resnet-8 instead of cnn-small,,,,,0.00,"), "\(csv[3])")
        #expect(AuditMarkdown.gainInterval(never.measuredGains) == "not measured")
        #expect(AuditMarkdown.gainInterval(partly.measuredGains).hasPrefix("+3.0 ["))
    }
}
