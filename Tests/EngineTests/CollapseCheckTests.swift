import Testing
@testable import Engine

/// A training that did not learn is told apart from one that learned slowly.
@Suite struct CollapseCheckTests {
    let balancedLabels: [Int32] = (0..<60).map { Int32($0 % 6) }
    let healthyLoss = [1.79, 1.76, 1.71, 1.62, 1.55]

    @Test func oneClassForEverythingIsACollapse() throws {
        let evidence = try #require(CollapseCheck.evidence(predictions: Array(repeating: 2, count: 60), labels: balancedLabels,
                                                           classes: 6, trainLoss: healthyLoss))
        #expect(evidence.contains("100.0% of 60 held-out predictions are class 2"))
        #expect(evidence.contains("chance level for 6 classes"))
    }

    @Test func aLossThatNeverFallsIsACollapse() throws {
        let predictions = balancedLabels.map { ($0 + Int32($0 % 2)) % 6 }   // half right, spread over classes
        let evidence = try #require(CollapseCheck.evidence(predictions: predictions, labels: balancedLabels, classes: 6,
                                                           trainLoss: [1.792, 1.791, 1.795, 1.790]))
        #expect(evidence == "the training loss never fell 1% below its first epoch's 1.792")
    }

    @Test func slowButHealthyTrainingIsNot() {
        // 40% balanced accuracy on 6 classes (chance 16.7%), predictions over several classes, a loss falling slowly.
        let predictions = balancedLabels.enumerated().map { i, label in i % 5 < 2 ? label : (label + 1) % 6 }
        #expect(CollapseCheck.evidence(predictions: predictions, labels: balancedLabels, classes: 6, trainLoss: healthyLoss) == nil)
        // A majority class predicted often, on imbalanced labels, is not a collapse while the others are still predicted.
        let imbalanced: [Int32] = (0..<100).map { $0 < 70 ? 0 : Int32(1 + $0 % 5) }
        let mostlyMajority: [Int32] = imbalanced.enumerated().map { i, label in label == 0 || i % 2 == 0 ? label : 0 }
        #expect(CollapseCheck.evidence(predictions: mostlyMajority, labels: imbalanced, classes: 6, trainLoss: healthyLoss) == nil)
    }
}
