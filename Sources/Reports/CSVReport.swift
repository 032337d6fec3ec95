import Foundation
import Harness
import Store

/// Tidy CSV: one row per trial, and one row per arm.
public enum CSVReport {
    /// One row per trial in trial-id order, the columns of `TrialColumn.all`.
    public static func trials(_ records: [TrialRecord]) -> String {
        let header = TrialColumn.all.map(\.name).joined(separator: ",")
        let rows = records.sorted { $0.trialID < $1.trialID }.map { record in
            TrialColumn.all.map { quoted($0.csvField(record)) }.joined(separator: ",")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    /// arm, seeds, mean, sd, ci_low, ci_high, delta, delta_ci_low, delta_ci_high, bootstrap_low, bootstrap_high, p_value, trainings,
    /// train_flops, cpu_hours (all seeds), cost_per_seed (the experiment's `costs:`), then recall_<class> per class (mean test
    /// recall over seeds)
    public static func arms(_ analysis: ExperimentAnalysis) -> String {
        let cost: (String, @Sendable (ArmResult) -> String) = ("cost_per_seed", { number(analysis.costPerSeed(of: $0)) })
        let columns = armColumns + [cost] + analysis.classNames.enumerated().map { k, name in
            ("recall_" + name, { @Sendable (a: ArmResult) in number(a.recall.count > k ? a.recall[k] : nil) })
        }
        let rows = [columns.map { quoted($0.0) }] + analysis.arms.map { a in columns.map { quoted($0.1(a)) } }
        return rows.map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    /// The arm table's columns before the per-class recall, each a name and its value.
    private static let armColumns: [(String, @Sendable (ArmResult) -> String)] = [
        ("arm", { $0.label }), ("seeds", { String($0.summary.count) }), ("mean", { number($0.summary.mean) }),
        ("sd", { number($0.summary.standardDeviation) }), ("ci_low", { number($0.summary.lower) }), ("ci_high", { number($0.summary.upper) }),
        ("delta", { number($0.comparison?.difference.mean) }), ("delta_ci_low", { number($0.comparison?.difference.lower) }),
        ("delta_ci_high", { number($0.comparison?.difference.upper) }), ("bootstrap_low", { number($0.comparison?.bootstrapLower) }),
        ("bootstrap_high", { number($0.comparison?.bootstrapUpper) }), ("p_value", { number($0.comparison?.pValue) }),
        ("trainings", { String($0.trainings) }), ("train_flops", { number($0.trainFLOPs) }), ("cpu_hours", { number($0.cpuHours) }),
    ]

    /// comparison, seeds, delta, delta_ci_low, delta_ci_high, bootstrap_low, bootstrap_high, p_value: the
    /// paired data-centric − model-centric difference (the header alone when the experiment lacks an arm).
    public static func comparisons(_ analysis: ExperimentAnalysis) -> String {
        var rows = ["comparison,seeds,delta,delta_ci_low,delta_ci_high,bootstrap_low,bootstrap_high,p_value"]
        if let d = analysis.dataVersusModel {
            rows.append([ExperimentAnalysis.dataVersusModelLabel, String(d.difference.count), number(d.difference.mean), number(d.difference.lower),
                         number(d.difference.upper), number(d.bootstrapLower), number(d.bootstrapUpper), number(d.pValue)].joined(separator: ","))
        }
        return rows.joined(separator: "\n") + "\n"
    }

    /// fraction, point, seeds, accuracy, ci_low, ci_high, delta, delta_ci_low, delta_ci_high, p_value: one row per
    /// point of the review curve (the baseline at 0, the gold-label model at 1).
    public static func reviewCurve(_ curve: ReviewCurve) -> String {
        let rows = curve.points.map { point -> String in
            let s = point.accuracy, g = point.gain
            return [number(point.fraction), quoted(point.name), String(s.count), number(s.mean), number(s.lower), number(s.upper),
                    number(g?.difference.mean), number(g?.difference.lower), number(g?.difference.upper), number(g?.pValue)].joined(separator: ",")
        }
        return (["fraction,point,seeds,accuracy,ci_low,ci_high,delta,delta_ci_low,delta_ci_high,p_value"] + rows).joined(separator: "\n") + "\n"
    }

    private static func number(_ x: Double?) -> String { x.map { String($0) } ?? "" }

    private static func quoted(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
