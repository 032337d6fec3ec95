import Audit
import Harness
import Store

/// The audit check as markdown and CSV: per scenario, each estimated lever beside the gain
/// measured by applying it, with the difference paired over seeds.
public enum AuditCheckMarkdown {
    /// One scenario's check.
    public struct Section {
        public let scenario: String
        public let audit: AuditResult
        public let rows: [AuditCheck.Row]
        public init(scenario: String, audit: AuditResult, rows: [AuditCheck.Row]) { self.scenario = scenario; self.audit = audit; self.rows = rows }
    }

    public static func render(_ sections: [Section], description: String) -> String {
        var lines = ["# Audit estimates against the levers applied", "", description, ""]
        for section in sections {
            let flags = section.audit.labelIssues.flagScore
            lines += ["## \(section.scenario)", "",
                      "Baseline \(AuditMarkdown.interval(Summary(section.audit.baselineAccuracy))) on \(section.audit.scoring.description); "
                        + "\(section.audit.labelIssues.ranked.count) of \(section.audit.training.count) training labels flagged"
                        + (flags.map { " (\($0.text()))" } ?? "") + ".", "",
                      "| lever | estimated (points) | measured (points) | measured − estimated |", "|---|---|---|---|"]
            for row in section.rows where !row.predicted.isEmpty {
                let difference = PairedComparison(arm: row.measured, baseline: row.predicted).difference
                lines.append("| \(row.lever) | \(AuditMarkdown.interval(Summary(row.predicted), sign: true)) | \(AuditMarkdown.interval(Summary(row.measured), sign: true)) | "
                             + "\(AuditMarkdown.interval(difference, sign: true)) |")
            }
            lines.append("")
        }
        if let first = sections.first { lines.append(first.audit.provenanceLine) }
        return lines.joined(separator: "\n") + "\n"
    }
}
