import Foundation
import TestSupport
import Testing

/// Pre-labelling with the reviewer's anchoring measured, end to end: a blind-half review sheet
/// in a real browser (Debian's chromium, headless), picks made there, and `flywheel data
/// anchoring` on the saved review — a reviewer who takes every suggestion they see is found
/// anchored, and one who picks the truth is scored to the row.
@Suite struct AnchoringTests {
    @Test func aBlindHalfReviewMeasuresHowMuchSeeingTheSuggestionMoves() throws {
        let folder = NSTemporaryDirectory() + "flywheel-anchoring-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let flywheel = builtExecutable("flywheel"), data = folder + "/solar.h5"
        #expect(try runProcess(flywheel, ["data", "generate", "solar-cells", "--out", data, "--size", "16", "--per-class", "train=20,val=5,test=5"]).status == 0)
        let flagged = try runProcess(flywheel, ["label-issues", data, "--folds", "3", "--epochs", "3", "--filter-by", "predicted_neq_given",
                                                "--out", folder + "/review.csv"])
        #expect(flagged.status == 0, "\(flagged.output)")

        let sheet = try runProcess(flywheel, ["data", "review-sheet", data, folder + "/review.csv", "--out", folder + "/blind.html", "--blind-half", "7"])
        #expect(sheet.status == 0, "\(sheet.output)")
        let html = try String(contentsOfFile: folder + "/blind.html", encoding: .utf8)
        let rows = Self.rows(of: html)
        try #require(rows.count >= 8, "the 3-epoch models should flag more labels: \(rows.count)")
        let hidden = rows.filter { !$0.shown }
        #expect(hidden.count == rows.count / 2 || hidden.count == (rows.count + 1) / 2, "\(hidden.count) of \(rows.count) hidden")
        #expect(html.components(separatedBy: "class=\"take\"").count - 1 == rows.count - hidden.count, "no take button where the suggestion is hidden")
        #expect(html.components(separatedBy: "<td class=\"hidden\">hidden</td>").count - 1 == hidden.count)
        #expect(sheet.output.contains("\(rows.count) rows, the suggestion hidden on \(hidden.count)"), "\(sheet.output)")

        // A reviewer who takes the suggestion wherever they see it and keeps the given label elsewhere.
        let picks = rows.map { "\($0.id):\($0.shown ? $0.suggested : $0.given)" }.joined(separator: ",")
        let exported = try reviewExportedBySheet("file://\(folder)/blind.html#pick=\(picks)&export")
        #expect(exported.first == "id,image,given_label,suggested_label,confidence,corrected_label,suggestion_shown", "\(exported.first ?? "")")
        try (exported.joined(separator: "\n") + "\n").write(toFile: folder + "/anchored.csv", atomically: true, encoding: .utf8)
        let anchored = try runProcess(flywheel, ["data", "anchoring", data, folder + "/anchored.csv", "--out", folder + "/anchoring.md"])
        #expect(anchored.status == 0, "\(anchored.output)")
        let shownCount = rows.count - hidden.count
        #expect(anchored.output.contains("| the model's suggestion (the anchoring) | 100% (\(shownCount)/\(shownCount)) | 0% (0/\(hidden.count)) | +100.0 ["), "\(anchored.output)")
        #expect(anchored.output.contains("**Finding: anchored"), "\(anchored.output)")
        #expect(try String(contentsOfFile: folder + "/anchoring.md", encoding: .utf8) == anchored.output)

        // A reviewer who picks the true label everywhere: each share is counted from the rows.
        let truth = try Self.goldLabelNames(of: data)
        var truthful = [exported[0]]
        for line in exported.dropFirst() {
            var fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            fields[5] = try #require(truth[Int(fields[0])!], "a generated image without its true label")
            truthful.append(fields.joined(separator: ","))
        }
        try (truthful.joined(separator: "\n") + "\n").write(toFile: folder + "/truthful.csv", atomically: true, encoding: .utf8)
        let honest = try runProcess(flywheel, ["data", "anchoring", data, folder + "/truthful.csv"])
        #expect(honest.status == 0, "\(honest.output)")
        let fields = truthful.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let seen = fields.filter { $0[6] == "yes" }, unseen = fields.filter { $0[6] == "no" }
        let agreeing = { (rows: [[String]]) in rows.filter { $0[3] == $0[5] }.count }
        #expect(honest.output.contains("| the true label | 100% (\(seen.count)/\(seen.count)) | 100% (\(unseen.count)/\(unseen.count)) | +0.0 ["), "\(honest.output)")
        #expect(honest.output.contains("(\(agreeing(seen))/\(seen.count)) | ") && honest.output.contains("(\(agreeing(unseen))/\(unseen.count)) | "), "\(honest.output)")

        // A review without the blind half cannot say, and says why.
        let plain = try runProcess(flywheel, ["data", "anchoring", data, folder + "/review.csv"])
        #expect(plain.status == 2 && plain.output.contains("review.csv: no suggestion_shown column"), "\(plain.output)")
        let again = try runProcess(flywheel, ["data", "anchoring", data, folder + "/anchored.csv", "--out", folder + "/anchoring.md"])
        #expect(again.status == 2 && again.output.contains("anchoring.md already exists"), "\(again.output)")
    }

    struct SheetRow { let id: Int; let given: String; let suggested: String; let shown: Bool }

    /// The sheet's rows, from their data attributes.
    static func rows(of html: String) -> [SheetRow] {
        html.components(separatedBy: "<tr data-id=\"").dropFirst().compactMap { chunk in
            func attribute(_ name: String) -> String? {
                guard let start = chunk.range(of: name + "=\"") else { return nil }
                return String(chunk[start.upperBound...].prefix { $0 != "\"" })
            }
            guard let id = Int(chunk.prefix { $0 != "\"" }), let given = attribute("data-given"), let suggested = attribute("data-suggested"),
                  let shown = attribute("data-shown") else { return nil }
            return SheetRow(id: id, given: given, suggested: suggested, shown: shown == "yes")
        }
    }

    /// Each image's true class by name (nil where unknown), read with h5py.
    static func goldLabelNames(of file: String) throws -> [String?] {
        let python = try pythonEnvironment([("h5py", "h5py")])
        let script = """
            import h5py, sys
            f = h5py.File(sys.argv[1], "r")
            names = [n.decode() if isinstance(n, bytes) else n for n in f["class_names"][:]]
            print(",".join(names[int(v)] if v >= 0 else "" for v in f["labels/gold"][:]))
            """
        let read = try runProcess(python, ["-c", script, file])
        #expect(read.status == 0, "\(read.output)")
        return read.output.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ",", omittingEmptySubsequences: false).map { $0.isEmpty ? nil : String($0) }
    }
}
