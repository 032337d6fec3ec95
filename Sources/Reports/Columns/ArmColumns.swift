import Harness
import Store

/// One row of the arm table: an arm's result within its experiment's analysis.
public struct ArmRow: Sendable {
    public let arm: ArmResult
    public let analysis: ExperimentAnalysis

    /// The analysis's arms, in table order.
    public static func rows(_ analysis: ExperimentAnalysis) -> [ArmRow] { analysis.arms.map { ArmRow(arm: $0, analysis: analysis) } }
}

/// The columns of the arm table, defined once: report.md's arm table (the columns with a
/// heading), arms.csv, the merged file's `/analysis/arms` (which the notebook reads), and the
/// per-arm part of Ng's table.
public enum ArmColumns {
    /// The columns, with a recall column per class of `classNames`; `accuracyHeading` heads the mean in markdown.
    public static func all(classNames: [String] = [], accuracyHeading: String = "test accuracy") -> [ReportColumn<ArmRow>] {
        [
            .text("arm", "arm") { $0.arm.label },
            .integer("seeds", nil) { Int64($0.arm.summary.count) },
            .number("mean", accuracyHeading, .percent) { $0.arm.summary.mean },
            .number("sd", nil, .percent) { $0.arm.summary.standardDeviation },
            .interval("ci_low", "ci_high", "95% CI", .percent) { $0.arm.summary.shareInterval },
        ] + ComparisonColumns.judged(deltaHeading: "Δ vs baseline").map { $0.reading { (row: ArmRow) in row.arm.judgement } } + [
            .integer("trainings", "trainings") { Int64($0.arm.trainings) },
            .number("train_flops", "training TFLOP", .scaled(1e12, "%.1f")) { $0.arm.trainFLOPs },
            .number("cpu_hours", nil, .count) { $0.arm.cpuHours },
            .number("cost_per_seed", nil, .count) { $0.analysis.costPerSeed(of: $0.arm) },
            .integer("failures", "trials failed, diverged or collapsed") { Int64($0.analysis.failures[$0.arm.arm] ?? 0) },
            .number("regret_delivered", nil, .points) { $0.arm.regret?.delivered },
            .number("regret_verified", nil, .points) { $0.arm.regret?.verified },
            .number("labels_checked_for_the_choice", nil, .count) { Double($0.arm.selectionEffort.reviewed) },
        ] + classNames.indices.map { k in
            .number("recall_" + classNames[k], nil, .percent) { $0.arm.recall.count > k ? $0.arm.recall[k] : nil }
        }
    }

    /// The columns of `analysis`'s own table: every class, its accuracy heading.
    public static func of(_ analysis: ExperimentAnalysis) -> [ReportColumn<ArmRow>] {
        all(classNames: analysis.classNames, accuracyHeading: analysis.testAccuracyLabel)
    }
}
