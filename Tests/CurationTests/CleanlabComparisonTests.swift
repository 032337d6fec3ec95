import Curation
import Foundation
import TestSupport
import XCTest

/// Flywheel's confident learning against cleanlab itself, installed with pip into the test
/// virtual environment: the same labels and probabilities must give the same flags, the same
/// ranking and the same confident joint.
final class CleanlabComparisonTests: XCTestCase {
    func testFlagsExactlyWhatCleanlabFlags() throws {
        let python = try pythonEnvironment([("cleanlab==2.7.1", "cleanlab"), ("scikit-learn", "sklearn")])
        for testCase in NoisyLabelCase.all {
            let reference = try cleanlabResult(testCase, python: python)
            let flagged = reference["flagged"] as! [String: [Int]]
            for filter in LabelIssueFilter.allCases {
                let issues = try LabelIssueFinder(filter: filter).findLabelIssues(labels: testCase.labels, probabilities: testCase.probabilities)
                let mine = issues.mask.indices.filter { issues.mask[$0] }
                XCTAssertEqual(mine, flagged[filter.rawValue], "\(testCase.name), filter_by=\(filter.rawValue)")
            }
            let issues = try LabelIssueFinder().findLabelIssues(labels: testCase.labels, probabilities: testCase.probabilities)
            let ranked = reference["ranked"] as! [String: [Int]]
            for score in LabelQualityScore.allCases {
                XCTAssertEqual(issues.ranked(by: score, labels: testCase.labels, probabilities: testCase.probabilities), ranked[score.rawValue],
                               "\(testCase.name), ranked by \(score.rawValue)")
            }
            let joint = reference["confident_joint"] as! [[Int]]
            guard issues.joint.counts == joint else {
                assertSameUpToTies(issues.joint.counts, joint, testCase.name)
                continue
            }
            assertClose(issues.noise.noiseMatrix, reference["noise_matrix"] as! [[Double]], "\(testCase.name) noise matrix")
            assertClose(issues.noise.inverseNoiseMatrix, reference["inverse_noise_matrix"] as! [[Double]], "\(testCase.name) inverse noise matrix")
            assertClose([issues.noise.prior], [reference["prior"] as! [Double]], "\(testCase.name) prior")
        }
    }

    /// The same labels and probabilities saved as NumPy arrays, an HDF5 file and a spreadsheet-style
    /// CSV (CRLF, byte-order mark, header) read back to the same values, and so give cleanlab's flags.
    func testEveryInputFormatReadsTheSameArraysAndFlagsWhatCleanlabFlags() throws {
        let python = try pythonEnvironment([("cleanlab==2.7.1", "cleanlab"), ("scikit-learn", "sklearn"), ("h5py", "h5py")])
        for testCase in [NoisyLabelCase.all[0], NoisyLabelCase.all[1]] {
            let folder = try writeCase(testCase)
            defer { try? FileManager.default.removeItem(atPath: folder) }
            let written = try runProcess(python, [packageRoot + "/Tests/Python/write_label_formats.py", folder + "/labels.csv", folder + "/probs.csv", folder])
            XCTAssertEqual(written.status, 0, written.output)
            let flagged = (try cleanlabResult(testCase, python: python)["flagged"] as! [String: [Int]])["prune_by_noise_rate"]
            let exact = [("labels-i64.npy", "probs-f64.npy"), ("labels-i32.npy", "probs-f64.npy"), ("data.h5:/labels", "data.h5:/nested/probs"),
                         ("labels-excel.csv", "probs-excel.csv"), ("labels.csv", "probs.csv")]
            for (labelsFile, probabilitiesFile) in exact {
                let (labels, probabilities) = try LabelIssueInputs.read(labels: folder + "/" + labelsFile, probabilities: folder + "/" + probabilitiesFile)
                XCTAssertEqual(labels, testCase.labels, "\(testCase.name): \(labelsFile)")
                XCTAssertEqual(probabilities, testCase.probabilities, "\(testCase.name): \(probabilitiesFile)")
                let issues = try LabelIssueFinder().findLabelIssues(labels: labels, probabilities: probabilities)
                XCTAssertEqual(issues.mask.indices.filter { issues.mask[$0] }, flagged, "\(testCase.name): \(labelsFile), \(probabilitiesFile)")
            }
            let single = try LabelIssueInputs.read(labels: folder + "/labels-i64.npy", probabilities: folder + "/probs-f32.npy").probabilities
            XCTAssertEqual(single.values, testCase.probabilities.values.map { Double(Float($0)) }, "\(testCase.name): float32 .npy")
        }
    }

    /// The case as `labels.csv` and `probs.csv` (shortest round-tripping decimals) in a new folder.
    private func writeCase(_ testCase: NoisyLabelCase) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cleanlab-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try testCase.labels.map(String.init).joined(separator: "\n").write(toFile: folder + "/labels.csv", atomically: true, encoding: .utf8)
        let p = testCase.probabilities
        let rows = (0..<p.count).map { i in (0..<p.classes).map { "\(p[i, $0])" }.joined(separator: ",") }
        try rows.joined(separator: "\n").write(toFile: folder + "/probs.csv", atomically: true, encoding: .utf8)
        return folder
    }

    private func cleanlabResult(_ testCase: NoisyLabelCase, python: String) throws -> [String: Any] {
        let folder = try writeCase(testCase)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try runProcess(python, [packageRoot + "/Tests/Python/cleanlab_reference.py", folder + "/labels.csv", folder + "/probs.csv"])
        XCTAssertEqual(run.status, 0, run.output)
        let json = run.output.split(separator: "\n").last { $0.hasPrefix("{") } ?? ""
        return try JSONSerialization.jsonObject(with: Data(json.utf8)) as! [String: Any]
    }

    /// cleanlab rounds the calibrated joint with NumPy's unstable `argsort`, so where two cells of
    /// a row have exactly the same fractional part, which one gets the extra count depends on the
    /// CPU's sort kernel (AVX-512 builds differ from others); Flywheel breaks such ties by index,
    /// NumPy's stable order. Rows must then hold the same counts, moved between cells by at most one.
    private func assertSameUpToTies(_ mine: [[Int]], _ theirs: [[Int]], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        for (a, b) in zip(mine, theirs) {
            XCTAssertEqual(a.sorted(), b.sorted(), "\(message): confident joint rows differ beyond a tie", file: file, line: line)
            XCTAssertTrue(zip(a, b).allSatisfy { abs($0 - $1) <= 1 }, "\(message): \(a) vs \(b)", file: file, line: line)
        }
    }

    private func assertClose(_ a: [[Double]], _ b: [[Double]], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, message, file: file, line: line)
        for (x, y) in zip(a.joined(), b.joined()) { XCTAssertEqual(x, y, accuracy: 1e-9, message, file: file, line: line) }
    }
}
