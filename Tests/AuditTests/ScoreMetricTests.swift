import Audit
import Datasets
import Store
import Testing

/// What the audit measures models by: accuracy, or balanced accuracy where rare classes matter as
/// much as common ones; and when one class dominates enough for accuracy to hide the others.
@Suite struct ScoreMetricTests {
    // Eight images of class 0, two of class 1; the model gets six of the eight and one of the two right.
    private let labels: [Int32] = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1]
    private let correct = [true, true, true, true, true, true, false, false, true, false]

    @Test func balancedAccuracyIsTheMeanOfTheClassesRecalls() {
        #expect(ScoreMetric.accuracy.value(correct: correct, labels: labels) == 0.7)
        #expect(ScoreMetric.balancedAccuracy.value(correct: correct, labels: labels) == (0.75 + 0.5) / 2)
        let even: [Int32] = [0, 0, 1, 1]
        let right = [true, false, true, true]
        #expect(ScoreMetric.balancedAccuracy.value(correct: right, labels: even) == ScoreMetric.accuracy.value(correct: right, labels: even),
                "equally large classes: the same number")
    }

    /// The metric is each class's recall weighted by the class weights, so a projected recall gain
    /// per class becomes a gain in the metric the same way.
    @Test func classWeightsRebuildTheMetricFromTheRecalls() {
        let recall = [0.75, 0.5, 0]   // class 2 absent from the scored images
        for metric in ScoreMetric.allCases {
            let weights = metric.classWeights(labels: labels, classes: 3)
            #expect(weights[2] == 0 && abs(weights.reduce(0, +) - 1) < 1e-12)
            #expect(abs(zip(weights, recall).map(*).reduce(0, +) - metric.value(correct: correct, labels: labels)) < 1e-12)
        }
    }

    @Test func aClassDominatesWhenItIsOverHalfAndFourTimesTheSmallest() {
        let magneticTiles = [Int32](repeating: 4, count: 190) + [0, 1, 2, 3, 5].flatMap { [Int32](repeating: $0, count: 16) }
        let dominance = ClassDominance(labels: magneticTiles, classes: 6)
        #expect(dominance?.largestClass == 4 && abs(dominance!.share - 190.0 / 270) < 1e-12)
        #expect(dominance?.sentence(classNames: ["a", "b", "c", "d", "free", "f"], images: "the test images")
                == "free is 70.4% of the test images: a model that always answers free scores 70.4%, and a point gained on it counts like a point on a rare class.")
        #expect(ClassDominance(counts: [57, 43]) == nil, "casting's good and defective parts")
        #expect(ClassDominance(counts: [80, 20])?.share == 0.8, "two classes, one four times the other")
        #expect(ClassDominance(counts: [40, 30, 30]) == nil && ClassDominance(counts: [60, 0, 0]) == nil, "under half; one class present")
    }
}
