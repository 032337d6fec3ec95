import Audit
import Foundation
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
        /// The training split and the whole pool, measured: where the learning curve's projection points.
        public let withPool: LearningCurve.Point
        public init(scenario: String, audit: AuditResult, rows: [AuditCheck.Row], withPool: LearningCurve.Point) {
            self.scenario = scenario; self.audit = audit; self.rows = rows; self.withPool = withPool
        }
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
                lines.append("| \(row.lever) | \(AuditMarkdown.gainInterval(row.predicted)) | \(AuditMarkdown.gainInterval(row.measured)) | "
                             + "\(AuditMarkdown.interval(difference, sign: true)) |")
            }
            lines += ["", curveLine(section), ""]
        }
        if let first = sections.first { lines.append(first.audit.provenanceLine) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The learning curve the projection was fitted to, and the point it projected, measured.
    private static func curveLine(_ section: Section) -> String {
        let curve = section.audit.learningCurve
        let points = curve.points.map { "\(Int(100 * $0.fraction))% (\($0.size)) \(percent($0.accuracy))" }.joined(separator: ", ")
        return String(format: "Learning curve, test accuracy (mean over seeds) against the share of the training split (images): %@; power-law exponent %.2f (mean). "
                      + "Measured with the pool added, %d%% (%d): %@.", points, Summary(curve.exponents).mean,
                      Int((100 * section.withPool.fraction).rounded()), section.withPool.size, percent(section.withPool.accuracy))
            + (curve.backtestError.map { String(format: " One step back (fitted without the whole split), the projection of the last step minus the gain measured there: %@ points.",
                                                AuditMarkdown.gainInterval($0)) } ?? "")
    }

    private static func percent(_ accuracies: [Double]) -> String { String(format: "%.1f%%", 100 * Summary(accuracies).mean) }
}
