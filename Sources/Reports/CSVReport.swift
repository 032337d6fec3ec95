import Foundation
import Harness
import Store

/// Tidy CSV: one row per trial, per arm, per comparison and per point of the review curve.
public enum CSVReport {
    /// One row per trial in trial-id order, the columns of `TrialColumn.all`.
    public static func trials(_ records: [TrialRecord]) -> String {
        ReportTable.csv(TrialColumn.all, records.sorted { $0.trialID < $1.trialID })
    }

    /// One row per arm, the columns of `ArmColumns`.
    public static func arms(_ analysis: ExperimentAnalysis) -> String {
        ReportTable.csv(ArmColumns.of(analysis), ArmRow.rows(analysis))
    }

    /// One row per comparison between arms (data − model; the header alone when the experiment lacks an arm).
    public static func comparisons(_ analysis: ExperimentAnalysis) -> String {
        ReportTable.csv(ComparisonColumns.all, analysis.comparisons)
    }

    /// fraction, point, seeds, accuracy, ci_low, ci_high, delta, delta_ci_low, delta_ci_high, p_value: one row per
    /// point of the review curve (the baseline at 0, the gold-label model at 1).
    public static func reviewCurve(_ curve: ReviewCurve) -> String {
        let rows = curve.points.map { point -> String in
            let s = point.accuracy, g = point.gain
            return [number(point.fraction), ReportTable.quoted(point.name), String(s.count), number(s.mean), number(s.lower), number(s.upper),
                    number(g?.difference.mean), number(g?.difference.lower), number(g?.difference.upper), number(g?.pValue)].joined(separator: ",")
        }
        return (["fraction,point,seeds,accuracy,ci_low,ci_high,delta,delta_ci_low,delta_ci_high,p_value"] + rows).joined(separator: "\n") + "\n"
    }

    private static func number(_ x: Double?) -> String { x.map { String($0) } ?? "" }
}
