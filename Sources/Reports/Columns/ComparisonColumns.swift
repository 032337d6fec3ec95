import Harness
import Store

/// The columns of a paired difference, defined once: the arm table's Δ against the baseline,
/// the comparisons table (data − model), Ng's table and the notebook all read these.
public enum ComparisonColumns {
    /// Δ, its Student-t and bootstrap 95% intervals and the paired t-test p-value (blank where
    /// there is no comparison); `deltaHeading` heads Δ in markdown.
    public static func paired(deltaHeading: String = "Δ") -> [ReportColumn<PairedComparison?>] { [
        .number("delta", deltaHeading, .points) { $0?.difference.mean },
        .interval("delta_ci_low", "delta_ci_high", "Δ 95% CI (t)", .points) { $0.map { ($0.difference.lower, $0.difference.upper) } },
        .interval("bootstrap_low", "bootstrap_high", "Δ 95% CI (bootstrap)", .points) { $0.map { ($0.bootstrapLower, $0.bootstrapUpper) } },
        .number("p_value", "p", .pValue) { $0?.pValue },
    ] }

    /// The comparisons table: its name, the seeds paired, then `paired`.
    public static let all: [ReportColumn<Comparison>] = [
        .text("comparison", "comparison") { $0.name },
        .integer("seeds", nil) { Int64($0.paired.difference.count) },
    ] + paired().map { $0.reading { $0.paired } }
}
