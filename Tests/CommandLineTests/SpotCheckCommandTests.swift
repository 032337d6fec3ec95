import Foundation
import TestSupport
import Testing

/// `flywheel audit` writes a random sample of its flags to check first; `flywheel data spot-check`
/// turns a person's check of it into the share of the flags that are label errors. On real images
/// (NEU, two classes 2 : 1, three labels made wrong) and on a built-in scenario.
@Suite struct SpotCheckCommandTests {
    private static let shared = ProcessInfo.processInfo.environment["FLYWHEEL_SHARED"]
        ?? URL(fileURLWithPath: packageRoot).deletingLastPathComponent().appendingPathComponent("shared").path

    @Test func aSpotCheckOfImbalancedNEUFlagsCountsWhatTheReviewerChanged() throws {
        let folder = try Self.folder()
        var csv = "path,label,split\n"
        for (name, count) in [("crazing", 16), ("scratches", 8)] {   // imbalanced, 2 : 1
            for number in 1...count {
                let split = number <= count * 5 / 8 ? "train" : number <= count * 13 / 16 ? "val" : "test"
                csv += "\(Self.shared)/data/neu-det/\(name)/\(name)_\(number).jpg,\(name == "crazing" && number <= 3 ? "scratches" : name),\(split)\n"
            }
        }
        try csv.write(toFile: folder + "/labels.csv", atomically: true, encoding: .utf8)
        let flywheel = builtExecutable("flywheel")
        let imported = try runProcess(flywheel, ["data", "import", folder + "/labels.csv", "--out", folder + "/neu.h5", "--size", "16"])
        #expect(imported.status == 0, "\(imported.output)")
        try checkAudit(of: folder + "/neu.h5", in: folder, flywheel: flywheel)
    }

    @Test func aSpotCheckOfAScenarioCountsTheSame() throws {
        let folder = try Self.folder()
        let flywheel = builtExecutable("flywheel")
        let generated = try runProcess(flywheel, ["data", "generate", "solar-cells", "--out", folder + "/solar.h5", "--size", "16",
                                                  "--per-class", "train=12,val=3,test=4"])
        #expect(generated.status == 0, "\(generated.output)")
        try checkAudit(of: folder + "/solar.h5", in: folder, flywheel: flywheel)
    }

    /// Audits `dataset`, checks the spot-check files against review.csv, fills the check in on its
    /// page in a browser and reads the saved CSV back.
    private func checkAudit(of dataset: String, in folder: String, flywheel: String) throws {
        let audit = try runProcess(flywheel, ["audit", dataset, "--out", folder + "/audit", "--epochs", "3", "--seeds", "1",
                                              "--folds", "2", "--variants", "none", "--threads", "1"])
        #expect(audit.status == 0, "\(audit.output)")
        let flags = try Self.rows(folder + "/audit/review.csv"), sample = try Self.rows(folder + "/audit/spot-check.csv")
        try #require(flags.count >= 2, "the audit flags enough labels to check: \(flags.count)")
        #expect(sample.count == min(30, flags.count))
        #expect(Set(sample.map { $0[0] }).count == sample.count && Set(sample.map { $0[0] }).isSubset(of: Set(flags.map { $0[0] })))
        let page = try String(contentsOfFile: folder + "/audit/spot-check.html", encoding: .utf8)
        #expect(page.components(separatedBy: "data-shown=\"no\"").count - 1 == sample.count && !page.contains("data-shown=\"yes\""),
                "every suggestion hidden")
        #expect(page.contains("Save spot-check.csv"))
        let report = try String(contentsOfFile: folder + "/audit/audit.md", encoding: .utf8)
        #expect(report.contains("spot-check.csv --flags \(flags.count)"), "the report says how to read the check")
        #expect(report.contains("(one seed: no interval)") && report.contains("also drops the flagged images labelled right"),
                "one seed gives no interval, and the review stand-ins say what else they change")
        #expect(report.contains("Tried one step back: fitted without the whole split") && report.contains("; one step back, projected minus measured: "),
                "the projection of more data is tried one step back on the audited data")

        // A person's picks on the page (headless Chromium): every other row changed to the suggestion, the rest kept, the last left empty.
        var picks: [String] = [], changed = 0
        for (index, row) in sample.enumerated() where index < sample.count - 1 {
            let pick = index.isMultiple(of: 2) ? row[3] : row[2]
            if pick != row[2] { changed += 1 }
            picks.append(row[0] + ":" + pick)
        }
        let exported = try reviewExportedBySheet("file://\(folder)/audit/spot-check.html#pick=\(picks.joined(separator: ","))&export")
        #expect(exported.first == "id,image,given_label,suggested_label,confidence,corrected_label,suggestion_shown", "\(exported)")
        try (exported.joined(separator: "\n") + "\n").write(toFile: folder + "/filled.csv", atomically: true, encoding: .utf8)
        let check = try runProcess(flywheel, ["data", "spot-check", dataset, folder + "/filled.csv", "--flags", String(flags.count)])
        #expect(check.status == 0, "\(check.output)")
        #expect(check.output.contains("\(sample.count - 1) of \(sample.count) sampled flags reviewed; \(changed) labels found wrong"), "\(check.output)")
        #expect(check.output.contains("1 row left unreviewed is left out") && check.output.contains("Of the \(flags.count) flags, about"), "\(check.output)")

        // Nothing reviewed, or fewer flags than rows: exit 2, naming what is wrong.
        let empty = ["id,image,given_label,suggested_label,confidence,corrected_label"] + sample.map { $0.prefix(5).joined(separator: ",") + "," }
        try (empty.joined(separator: "\n") + "\n").write(toFile: folder + "/empty.csv", atomically: true, encoding: .utf8)
        let unreviewed = try runProcess(flywheel, ["data", "spot-check", dataset, folder + "/empty.csv"])
        #expect(unreviewed.status == 2 && unreviewed.output.contains("empty.csv: no row has corrected_label filled in"), "\(unreviewed.output)")
        let tooFew = try runProcess(flywheel, ["data", "spot-check", dataset, folder + "/filled.csv", "--flags", "1"])
        #expect(tooFew.status == 2 && tooFew.output.contains("--flags 1 is fewer than the \(sample.count) rows"), "\(tooFew.output)")
    }

    private static func folder() throws -> String {
        let folder = NSTemporaryDirectory() + "flywheel-spot-check-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// A CSV file's rows after the header, split on commas (the review files here quote nothing).
    private static func rows(_ path: String) throws -> [[String]] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst()
            .map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }
}
