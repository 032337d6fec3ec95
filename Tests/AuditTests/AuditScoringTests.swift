import Audit
import Datasets
import Testing

/// Where the audit scores: verified labels first; with train/ and test/ folders and nobody's check,
/// the test split as delivered (not a validation split it would have to carve out of training).
@Suite struct AuditScoringTests {
    private func data(validation: Int, goldOnTest: Bool) throws -> Dataset {
        var data = try SteelDefects().generate(imageSize: 16, perClass: SplitCounts(train: 4, validation: validation, test: 3), seed: 2)
        if !goldOnTest { data.gold = data.gold.map { _ in -1 } }
        return data
    }

    @Test func teamsTrainAndTestFoldersAreScoredOnTheTestLabelsAsDelivered() throws {
        let scoring = try AuditScoring(try data(validation: 0, goldOnTest: false))
        #expect(scoring.split == .test && !scoring.verified)
        #expect(scoring.description == "the test split's delivered labels (18 images)")
        #expect(try AuditScoring(try data(validation: 0, goldOnTest: true)).verified)
        #expect(try AuditScoring(try data(validation: 2, goldOnTest: false)).split == .test)   // test as delivered before validation as delivered
    }

    @Test func aFileWithOnlyTrainingImagesSaysHowToImportIt() throws {
        var onlyTrain = try data(validation: 0, goldOnTest: false)
        onlyTrain.splits = onlyTrain.splits.map { _ in .train }
        #expect(throws: AuditError.self) { try AuditScoring(onlyTrain) }
        do { _ = try AuditScoring(onlyTrain) } catch {
            #expect("\(error)".contains("42 training images and no other split") && "\(error)".contains("--split train=0.6,val=0.2,test=0.2"))
        }
    }
}
