import Foundation
import TestSupport
import Testing

/// The audit's review sheet in a real browser (Debian's chromium, headless): it shows the
/// original images, a pick becomes a corrected label in the exported CSV, and that CSV is what
/// `flywheel data apply-review` takes.
@Suite struct ReviewSheetTests {
    private static let shared = ProcessInfo.processInfo.environment["FLYWHEEL_SHARED"]
        ?? URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path

    @Test func aPickInTheBrowserBecomesACorrectionApplyReviewTakes() throws {
        let folder = NSTemporaryDirectory() + "flywheel-sheet-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        // 16 NEU images of each of two classes; three crazing images delivered as scratches, all in training.
        var csv = "path,label,split\n"
        for name in ["crazing", "scratches"] {
            for number in 1...16 {
                let split = number <= 10 ? "train" : number <= 13 ? "val" : "test"
                let wrong = name == "crazing" && number <= 3
                csv += "\(Self.shared)/data/neu-det/\(name)/\(name)_\(number).jpg,\(wrong ? "scratches" : name),\(split)\n"
            }
        }
        try csv.write(toFile: folder + "/labels.csv", atomically: true, encoding: .utf8)
        let flywheel = builtExecutable("flywheel")
        let imported = try runProcess(flywheel, ["data", "import", folder + "/labels.csv", "--out", folder + "/neu.h5", "--size", "16"])
        #expect(imported.status == 0, "\(imported.output)")
        let audit = try runProcess(flywheel, ["audit", folder + "/neu.h5", "--out", folder + "/audit", "--epochs", "10", "--seeds", "1",
                                              "--folds", "2", "--variants", "none", "--threads", "1"])
        #expect(audit.status == 0, "\(audit.output)")
        let html = try String(contentsOfFile: folder + "/audit/review.html", encoding: .utf8)
        #expect(html.contains("data:image/jpeg;base64,"), "the sheet embeds the original JPEG files")
        let review = try String(contentsOfFile: folder + "/audit/review.csv", encoding: .utf8)
        let firstRow = try #require(review.split(separator: "\n").dropFirst().first, "the audit flagged nothing")
        let id = String(firstRow.split(separator: ",")[0]), given = String(firstRow.split(separator: ",")[2])
        let corrected = given == "crazing" ? "scratches" : "crazing"

        let page = "file://\(folder)/audit/review.html#pick=\(id):\(corrected)&export"
        let lines = try reviewExportedBySheet(page)
        let exported = lines.joined(separator: "\n") + "\n"
        #expect(lines.first == "id,image,given_label,suggested_label,confidence,corrected_label")
        #expect(lines.count == review.split(separator: "\n").count, "one line per flagged image")
        let picked = try #require(lines.first { $0.hasPrefix(id + ",") })
        #expect(picked.hasSuffix("," + corrected), "\(picked)")
        #expect(lines.dropFirst().filter { $0.hasSuffix(",") }.count == lines.count - 2, "only the picked row has a correction")

        // The same review as a blind-half sheet (flywheel data review-sheet): the original images still embedded,
        // the suggestion hidden on one row of each two, the saved review saying which.
        let blind = try runProcess(flywheel, ["data", "review-sheet", folder + "/neu.h5", folder + "/audit/review.csv", "--out", folder + "/blind.html",
                                              "--blind-half", "3"])
        #expect(blind.status == 0, "\(blind.output)")
        let blindPage = try String(contentsOfFile: folder + "/blind.html", encoding: .utf8)
        #expect(blindPage.contains("data:image/jpeg;base64,"), "the blind sheet embeds the original JPEG files")
        let rowCount = review.split(separator: "\n").count - 1
        let hiddenRows = blindPage.components(separatedBy: "data-shown=\"no\"").count - 1, shownRows = blindPage.components(separatedBy: "data-shown=\"yes\"").count - 1
        #expect(hiddenRows + shownRows == rowCount && abs(hiddenRows - shownRows) <= 1, "\(hiddenRows) hidden, \(shownRows) shown of \(rowCount)")
        let blindExport = try reviewExportedBySheet("file://\(folder)/blind.html#export")
        #expect(blindExport.first == "id,image,given_label,suggested_label,confidence,corrected_label,suggestion_shown", "\(blindExport)")
        #expect(blindExport.count == rowCount + 1, "one line per flagged image: \(blindExport)")

        try exported.write(toFile: folder + "/picked.csv", atomically: true, encoding: .utf8)
        let applied = try runProcess(flywheel, ["data", "apply-review", folder + "/neu.h5", folder + "/picked.csv", "--out", folder + "/reviewed.h5"])
        #expect(applied.status == 0, "\(applied.output)")
        #expect(applied.output.contains(", 1 labels changed"), "\(applied.output)")
    }
}
