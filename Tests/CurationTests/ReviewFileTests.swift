import Curation
import Datasets
import Foundation
import XCTest

final class ReviewFileTests: XCTestCase {
    var folder = ""
    let data = try! Scenarios.named("surface-inspection").generate(imageSize: 16, perClass: SplitCounts(train: 3, validation: 1, test: 1), seed: 3)

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("review-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func testRoundTripAppliesCorrectionsAndKeepsTheOriginalLabels() throws {
        let path = folder + "/review.csv"
        try ReviewFile.write([.init(sample: 4, suggested: 2, confidence: 0.91), .init(sample: 1, suggested: 0, confidence: 0.6)], of: data, to: path)
        XCTAssertTrue(FileManager.default.fileExists(atPath: folder + "/review-images/4.png"))
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        XCTAssertEqual(lines[0], "id,image,given_label,suggested_label,confidence,corrected_label")
        XCTAssertTrue(lines[1].hasPrefix("4,review-images/4.png,\(data.classNames[Int(data.delivered[4])]),\(data.classNames[2]),0.9100,"), lines[1])
        lines[1] += data.classNames[2]
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let (reviewed, count, changed) = try ReviewFile.apply(path, to: data)
        XCTAssertEqual(count, 1)
        XCTAssertEqual(changed, data.delivered[4] == 2 ? 0 : 1)
        XCTAssertEqual(reviewed.delivered[4], 2)
        XCTAssertEqual(reviewed.labelsBeforeReview, data.delivered)
        try reviewed.save(to: folder + "/reviewed.h5")
        XCTAssertEqual(try Dataset.load(from: folder + "/reviewed.h5").labelsBeforeReview, data.delivered)
    }

    /// A spreadsheet's save: a byte-order mark, CRLF line ends, every field quoted.
    func testASpreadsheetSavedReviewWithByteOrderMarkAndCRLFApplies() throws {
        let path = folder + "/review.csv"
        try ReviewFile.write([.init(sample: 4, suggested: 2, confidence: 0.91)], of: data, to: path)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        let quoted = lines.map { $0.split(separator: ",", omittingEmptySubsequences: false).map { "\"\($0)\"" }.joined(separator: ",") }
        var filled = quoted
        filled[1] = String(filled[1].dropLast(2)) + "\"\(data.classNames[2])\""
        try Data([0xEF, 0xBB, 0xBF] + Array((filled.joined(separator: "\r\n") + "\r\n").utf8)).write(to: URL(fileURLWithPath: path))
        XCTAssertEqual(try ReviewFile.corrections(in: path, for: data), [4: 2])
        // A header that differs only by an invisible character is shown with it spelled out.
        try ("id,image,given_label,suggested_label,confidence,corrected_label\u{00A0}\n").write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try ReviewFile.corrections(in: path, for: data)) {
            XCTAssertTrue("\($0)".contains("got 'id,image,given_label,suggested_label,confidence,corrected_label\\u{00A0}'"), "\($0)")
        }
    }

    /// A review saved from a blind-half sheet reads like any other, and says which rows showed the suggestion.
    func testABlindHalfReviewSaysWhichRowsShowedTheSuggestion() throws {
        let given = { (i: Int) in self.data.classNames[Int(self.data.delivered[i])] }
        let path = folder + "/blind.csv"
        try ("\(ReviewFile.columns.joined(separator: ",")),suggestion_shown\n0,a.png,\(given(0)),ok,0.5,ok,yes\n1,b.png,\(given(1)),ok,0.25,,no\n")
            .write(toFile: path, atomically: true, encoding: .utf8)
        let rows = try ReviewFile.rows(in: path, for: data)
        let ok = Int32(data.classNames.firstIndex(of: "ok")!)
        XCTAssertEqual(rows.map(\.suggestionShown), [true, false])
        XCTAssertEqual(rows.map(\.corrected), [ok, nil])
        XCTAssertEqual(rows.map(\.confidence), [0.5, 0.25])
        XCTAssertEqual(try ReviewFile.corrections(in: path, for: data), [0: ok])
    }

    func testMalformedReviewsNameTheLine() throws {
        let given = { (i: Int) in self.data.classNames[Int(self.data.delivered[i])] }
        let header = ReviewFile.columns.joined(separator: ",")
        let cases: [(String, String)] = [
            ("\(header)\n0,a.png,\(given(0)),ok,0.5,ok\n99,b.png,ok,ok,0.5,ok\n", "line 3: unknown id '99'"),
            ("\(header)\n0,a.png,\(given(0)),ok,0.5,wrinkle\n", "line 2: unknown class 'wrinkle'"),
            ("\(header)\n0,a.png,\(given(0)),ok,0.5,ok\n0,a.png,\(given(0)),ok,0.5,dent\n", "line 3: id 0 appears more than once"),
            ("id,label\n0,ok\n", "line 1: expected the columns id,image,given_label,suggested_label,confidence,corrected_label"),
            ("\(header)\n0,a.png,\(given(0)),ok,0.5\n", "line 2: expected 6 fields"),
            ("\(header)\n0,a.png,\(given(0)),rust,0.5,ok\n", "line 2: unknown class 'rust' in suggested_label"),
            ("\(header)\n0,a.png,\(given(0)),ok,1.5,ok\n", "line 2: confidence '1.5' of id 0; expected a probability in [0, 1]"),
            ("\(header),suggestion_shown\n0,a.png,\(given(0)),ok,0.5,ok,yes\n1,b.png,\(given(1)),ok,0.5,ok,maybe\n",
             "line 3: suggestion_shown 'maybe' of id 1; expected yes or no"),
        ]
        for (text, message) in cases {
            let path = folder + "/bad.csv"
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            XCTAssertThrowsError(try ReviewFile.apply(path, to: data)) { XCTAssertTrue("\($0)".contains(message), "expected '\(message)', got: \($0)") }
        }
    }
}
