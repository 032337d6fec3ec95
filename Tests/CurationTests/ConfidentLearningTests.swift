import Curation
import XCTest

/// Confident learning on cases small enough to work out by hand.
final class ConfidentLearningTests: XCTestCase {
    /// Two classes, six samples: sample 2 is labelled 0 but confidently looks like 1; sample 5 is
    /// labelled 1, predicted 0, but not confidently (0.6 is under class 0's threshold of 2/3).
    let labels = [0, 0, 0, 1, 1, 1]
    let probabilities = try! PredictedProbabilities(values: [0.9, 0.1, 0.8, 0.2, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9, 0.6, 0.4], classes: 2)

    func testThresholdsAreMeanSelfConfidence() {
        let t = ConfidentJoint.thresholds(labels: labels, probabilities: probabilities)
        XCTAssertEqual(t[0], 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(t[1], 0.7, accuracy: 1e-12)
    }

    func testConfidentJointCountsAndCalibration() throws {
        let raw = try ConfidentJoint(labels: labels, probabilities: probabilities, calibrate: false)
        XCTAssertEqual(raw.counts, [[2, 1], [0, 2]])
        XCTAssertEqual(raw.offDiagonalSamples, [2])
        // Row 1 has 3 labels but only 2 confident counts: calibration scales it to [0, 3].
        XCTAssertEqual(try ConfidentJoint(labels: labels, probabilities: probabilities).counts, [[2, 1], [0, 3]])
    }

    func testNoiseMatrixFromTheJoint() throws {
        let issues = try LabelIssueFinder().findLabelIssues(labels: labels, probabilities: probabilities)
        XCTAssertEqual(issues.noise.noiseMatrix[0], [1, 0.25])
        XCTAssertEqual(issues.noise.noiseMatrix[1], [0, 0.75])
        XCTAssertEqual(issues.noise.noiseRate, 1.0 / 6, accuracy: 1e-12)
    }

    func testEachFilterOnTheHandCase() throws {
        let expected: [LabelIssueFilter: [Int]] = [.pruneByNoiseRate: [2], .pruneByClass: [2], .both: [2], .confidentLearning: [2], .predictedNotGiven: [2, 5]]
        for (filter, flagged) in expected {
            let mask = try LabelIssueFinder(filter: filter).findLabelIssues(labels: labels, probabilities: probabilities).mask
            XCTAssertEqual(mask.indices.filter { mask[$0] }, flagged, filter.rawValue)
        }
    }

    func testEstimatedNoiseMatrixRecoversTheInjectedOne() throws {
        // 20% of each class flipped uniformly: the true noise matrix has 0.8 on the diagonal.
        let testCase = NoisyLabelCase("recovery", classSizes: [400, 400, 400], flip: 0.2, signal: 4, seed: 11)
        let noise = try LabelIssueFinder().findLabelIssues(labels: testCase.labels, probabilities: testCase.probabilities).noise
        for k in 0..<3 { XCTAssertEqual(noise.noiseMatrix[k][k], 0.8, accuracy: 0.05, "class \(k)") }
        XCTAssertEqual(noise.noiseRate, 0.2, accuracy: 0.05)
    }

    func testBadInputsNameTheProblem() {
        XCTAssertThrowsError(try LabelIssueFinder().findLabelIssues(labels: [0, 1, 2], probabilities: probabilities)) {
            XCTAssertTrue("\($0)".contains("3 labels, 6 rows"), "\($0)")
        }
        XCTAssertThrowsError(try LabelIssueFinder().findLabelIssues(labels: [0, 0, 0, 1, 1, 7], probabilities: probabilities)) {
            XCTAssertTrue("\($0)".contains("label 5 is 7"), "\($0)")
        }
        XCTAssertThrowsError(try PredictedProbabilities(values: [0.5, 1.5], classes: 2)) {
            XCTAssertTrue("\($0)".contains("row 0, class 1 is 1.5"), "\($0)")
        }
    }

    func testRankingPutsTheLeastConfidentFirst() {
        let order = LabelQualityScore.selfConfidence.rank([0, 2, 5], labels: labels, probabilities: probabilities)
        XCTAssertEqual(order, [2, 5, 0])
        let margins = LabelQualityScore.normalizedMargin.scores(labels: labels, probabilities: probabilities)
        XCTAssertEqual(margins[2], (0.3 - 0.7 + 1) / 2, accuracy: 1e-12)
    }
}
