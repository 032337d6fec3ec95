import Datasets
import Engine
import XCTest

final class ConsensusTests: XCTestCase {
    func testMajorityVoteBreaksTiesToTheLowestClass() throws {
        let annotations = [Annotation(sample: 0, annotator: 0, label: 2), Annotation(sample: 0, annotator: 1, label: 2), Annotation(sample: 0, annotator: 2, label: 1),
                           Annotation(sample: 1, annotator: 0, label: 1), Annotation(sample: 1, annotator: 1, label: 0)]
        let result = try ConsensusMethod.majority.consensus(annotations, samples: 3, annotators: 3, classes: 3)
        XCTAssertEqual(result.labels, [2, 0, -1])
        XCTAssertEqual(result.confidence[0], 2.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(result.annotatorAccuracy[2], 0)
    }

    /// Three annotators, one of whom calls class 0 "1" most of the time: Dawid–Skene learns that
    /// annotator's confusion and outvotes it where majority vote cannot (two against one with the
    /// careless annotator siding with the biased one).
    func testDawidSkeneLearnsAnnotatorQuality() throws {
        var g = SplitMix64(seed: 7)
        var annotations: [Annotation] = [], truth: [Int] = []
        for sample in 0..<600 {
            let t = g.nextIndex(below: 3)
            truth.append(t)
            let careful = t
            let biased = t == 0 && g.nextUniform() < 0.8 ? 1 : t
            let careless = g.nextUniform() < 0.35 ? (t + 1 + g.nextIndex(below: 2)) % 3 : t
            annotations += [Annotation(sample: sample, annotator: 0, label: careful), Annotation(sample: sample, annotator: 1, label: biased),
                            Annotation(sample: sample, annotator: 2, label: careless)]
        }
        let ds = try ConsensusMethod.dawidSkene.consensus(annotations, samples: 600, annotators: 3, classes: 3)
        let majority = try ConsensusMethod.majority.consensus(annotations, samples: 600, annotators: 3, classes: 3)
        let accuracy = { (labels: [Int]) in Double(zip(labels, truth).filter { $0 == $1 }.count) / 600 }
        XCTAssertGreaterThan(accuracy(ds.labels), accuracy(majority.labels))
        XCTAssertGreaterThan(accuracy(ds.labels), 0.97)
        XCTAssertGreaterThan(ds.annotatorAccuracy[0], ds.annotatorAccuracy[2])
        XCTAssertGreaterThan(ds.annotatorConfusion[1][0][1], 0.6, "annotator 1 writes 1 for true 0")
    }

    func testOutOfRangeAnnotationIsAnError() {
        XCTAssertThrowsError(try ConsensusMethod.majority.consensus([Annotation(sample: 0, annotator: 5, label: 0)], samples: 1, annotators: 2, classes: 2))
    }
}
