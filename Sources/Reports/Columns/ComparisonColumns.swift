import Harness
import Store

/// The columns of a paired difference with its verdict, defined once: the arm table's Δ against
/// the baseline, the comparisons table (data − model), Ng's table and the notebook all read these.
public enum ComparisonColumns {
    /// Δ, its Student-t and bootstrap 95% intervals, the paired t-test p-value, the verdict with
    /// the level and the 1 − 2α interval it read, the smallest effect the design could detect and
    /// the seeds that would decide (blank where there is no comparison); `deltaHeading` heads Δ in markdown.
    public static func judged(deltaHeading: String = "Δ") -> [ReportColumn<Judgement?>] { [
        .number("delta", deltaHeading, .points) { $0?.paired.difference.mean },
        .interval("delta_ci_low", "delta_ci_high", "Δ 95% CI (t)", .points) { $0.map { ($0.paired.difference.lower, $0.paired.difference.upper) } },
        .interval("bootstrap_low", "bootstrap_high", nil, .points) { $0.map { ($0.paired.bootstrapLower, $0.paired.bootstrapUpper) } },
        .number("p_value", "p", .pValue) { $0?.paired.pValue },
        .text("verdict", "verdict") { $0?.decision.verdict.rawValue ?? "" },
        .number("test_alpha", nil, .pValue) { $0?.decision.alpha },
        .interval("equivalence_low", "equivalence_high", nil, .points) { $0.map { ($0.decision.equivalenceLower, $0.decision.equivalenceUpper) } },
        .number("minimum_detectable_effect", "detectable (80% power)", .points) { $0?.decision.minimumDetectableEffect },
        .number("seeds_to_decide", "seeds to decide", .count) { $0?.decision.seedsToDecide.map(Double.init) },
    ] }

    /// The comparisons table: its name, the seeds paired, then `judged`.
    public static let all: [ReportColumn<Comparison>] = [
        .text("comparison", "comparison") { $0.name },
        .integer("seeds", "seeds") { Int64($0.paired.difference.count) },
    ] + judged().map { $0.reading { $0.judgement } }
}
