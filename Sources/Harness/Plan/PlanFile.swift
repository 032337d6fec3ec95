import Foundation
import Store

/// `RESULTS/NAME/plan.tsv`: the plan handed to a scheduler, one row per trial (index, trial id,
/// arm, variant, seed) under a `# rerun:` line with the command that runs one index. The only
/// type that writes or reads it; `flywheel merge` uses it to name what is missing.
public enum PlanFile {
    /// One planned trial.
    public struct Row: Sendable, Equatable {
        public let index: Int
        public let trialID: String
        public let arm: String
        public let variant: String
        public let seed: Int
    }

    public static func path(in resultsFolder: String) -> String { resultsFolder + "/plan.tsv" }

    /// Writes the plan; `rerun` is the command prefix that runs one index (`… --index I`).
    public static func write(_ plan: [Trial], rerun: String, in resultsFolder: String) throws {
        try FileManager.default.createDirectory(atPath: resultsFolder, withIntermediateDirectories: true)
        let rows = plan.enumerated().map { "\($0.offset)\t\($0.element.id)\t\($0.element.arm.rawValue)\t\($0.element.variant.name)\t\($0.element.seed)" }
        try (["# rerun: \(rerun)", "index\ttrial_id\tarm\tvariant\tseed"] + rows).joined(separator: "\n").appending("\n")
            .write(toFile: path(in: resultsFolder), atomically: true, encoding: .utf8)
    }

    /// The rerun command and the rows, or nil when the folder has no plan (a local run).
    public static func read(in resultsFolder: String) -> (rerun: String, rows: [Row])? {
        guard let text = try? String(contentsOfFile: path(in: resultsFolder), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        let rerun = lines.first { $0.hasPrefix("# rerun: ") }.map { String($0.dropFirst("# rerun: ".count)) } ?? "flywheel run-trial EXPERIMENT"
        let rows = lines.filter { !$0.hasPrefix("#") && !$0.hasPrefix("index") }.compactMap { line -> Row? in
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 5, let index = Int(f[0]), let seed = Int(f[4]) else { return nil }
            return Row(index: index, trialID: f[1], arm: f[2], variant: f[3], seed: seed)
        }
        return (rerun, rows)
    }

    /// "missing|failed: trial I ID (arm variant seed S) — rerun: COMMAND --index I" for each planned
    /// trial without a completed result among `records` (empty without a plan file).
    public static func unfinished(in resultsFolder: String, records: [TrialRecord]) -> [String] {
        guard let (rerun, rows) = read(in: resultsFolder) else { return [] }
        let status = Dictionary(records.map { ($0.trialID, $0.status) }, uniquingKeysWith: { a, _ in a })
        return rows.compactMap { row in
            let state = status[row.trialID]
            guard state == nil || state == .failed else { return nil }
            return "\(state == nil ? "missing" : "failed"): trial \(row.index) \(row.trialID) (\(row.arm) \(row.variant) seed \(row.seed)) — rerun: \(rerun) --index \(row.index)"
        }
    }
}
