import Harness
import Store

/// What a claim's test found: the effect in each condition it reads, and the verdict.
public struct ClaimVerdict: Sendable {
    public enum Verdict: String, Sendable {
        case supported
        case notSupported = "not supported"
        /// Supported in some of the conditions read and not in others.
        case depends
    }

    /// The effect `a − b` in one condition ("" when both sides name theirs), paired over the seeds both sides have.
    public struct Effect: Sendable {
        public let condition: String
        public let comparison: PairedComparison?
        /// Whether the 95% interval says what the claim predicts.
        public let holds: Bool
        /// The difference in protocol v3's words (better, worse, equivalent within the claim's
        /// margin — `AnalysisPlan.defaultMargin` when the test sets none — or inconclusive).
        public let decision: Decision?
        /// The p-value of the prediction in this condition, on the scale of the two-sided 95%
        /// interval: below 0.05 exactly when `holds` (for a direction, twice the one-sided t-test's
        /// p toward it; for an equivalence, twice the larger of its two one-sided tests'), capped at 1.
        public let pValue: Double
    }

    public let effects: [Effect]
    public let verdict: Verdict
    /// Why, with the conditions: "holds in noise-20, noise-30; not in noise-0, noise-1" (empty when supported).
    public let detail: String
    /// The verdict with its detail: "depends: holds in noise-20, noise-30; not in noise-0, noise-1".
    public let summary: String
    /// The p-value of the claim as the test reads it, every condition at once (an intersection–
    /// union test: the largest of the conditions' `pValue`; 1 when one has fewer than two seeds).
    /// Below 0.05 exactly when the verdict is *supported*; what a family correction adjusts.
    public let pValue: Double

    /// Applies `test` to the analyses of a claim's conditions (by condition name).
    public init(_ test: ClaimTest, analyses: [String: ExperimentAnalysis]) {
        effects = test.at.map { condition in
            let (a, b) = test.pairs(in: analyses, at: condition)
            guard a.count >= 2 else { return Effect(condition: condition, comparison: nil, holds: false, decision: nil, pValue: 1) }
            let comparison = PairedComparison(arm: a, baseline: b)
            var plan = AnalysisPlan()
            if test.margin > 0 { plan.margin = test.margin }
            return Effect(condition: condition, comparison: comparison, holds: Self.holds(comparison.difference, test),
                          decision: plan.decide(comparison.difference), pValue: Self.pValue(comparison.difference, test))
        }
        pValue = effects.map(\.pValue).max() ?? 1
        let held = effects.filter(\.holds).map(\.condition), failed = effects.filter { !$0.holds }.map(\.condition)
        let missing = effects.filter { $0.comparison == nil }.map(\.condition)
        let anyCondition = effects.count > 1
        if !missing.isEmpty {
            verdict = .notSupported
            detail = "fewer than two seeds with both sides in " + missing.map { $0.isEmpty ? "the run" : $0 }.joined(separator: ", ")
            summary = "not supported: " + detail
        } else if failed.isEmpty {
            verdict = .supported
            detail = ""
            summary = "supported" + (anyCondition ? " in every condition" : "")
        } else if held.isEmpty {
            verdict = .notSupported
            detail = Self.reason(effects, test)
            summary = "not supported" + (anyCondition ? " in any condition" : "") + " (\(detail))"
        } else {
            verdict = .depends
            detail = "holds in \(held.joined(separator: ", ")); not in \(failed.joined(separator: ", "))"
            summary = "depends: " + detail
        }
    }

    /// Whether the interval of the difference says what `test` predicts.
    static func holds(_ difference: Summary, _ test: ClaimTest) -> Bool {
        switch test.expect {
        case .positive: difference.lower > 0
        case .negative: difference.upper < 0
        case .equivalent: difference.lower >= -test.margin && difference.upper <= test.margin
        }
    }

    /// The p-value of `test`'s prediction from the paired differences `d` (see `Effect.pValue`).
    static func pValue(_ d: Summary, _ test: ClaimTest) -> Double {
        let n = Double(d.count), se = d.standardDeviation / n.squareRoot()
        guard d.count >= 2 else { return 1 }
        // P(T ≥ (mean − shift) / se) and P(T ≤ …); with no spread, 0 or 1 as the interval (a point)
        // clears `shift` or not — by the rule `holds` reads: strictly for a direction, at or inside the margin.
        func above(_ shift: Double, orAt: Bool = false) -> Double {
            se > 0 ? 1 - StudentT.cdf((d.mean - shift) / se, degreesOfFreedom: n - 1) : (d.mean > shift || (orAt && d.mean == shift) ? 0 : 1)
        }
        func below(_ shift: Double, orAt: Bool = false) -> Double {
            se > 0 ? StudentT.cdf((d.mean - shift) / se, degreesOfFreedom: n - 1) : (d.mean < shift || (orAt && d.mean == shift) ? 0 : 1)
        }
        let oneSided: Double
        switch test.expect {
        case .positive: oneSided = above(0)
        case .negative: oneSided = below(0)
        case .equivalent: oneSided = max(above(-test.margin, orAt: true), below(test.margin, orAt: true))
        }
        return min(1, 2 * oneSided)
    }

    /// Why a claim that held nowhere failed, per condition: the opposite was measured (the interval
    /// on the other side of 0), or the interval includes 0 (for an equivalence: reaches beyond the margin).
    private static func reason(_ effects: [Effect], _ test: ClaimTest) -> String {
        let named = { (list: [Effect]) in effects.count == 1 ? "" : " in " + list.map(\.condition).joined(separator: ", ") }
        let differences = effects.compactMap { e in e.comparison.map { (e, $0.difference) } }
        switch test.expect {
        case .positive, .negative:
            let opposite = differences.filter { test.expect == .positive ? $0.1.upper < 0 : $0.1.lower > 0 }.map(\.0)
            let open = effects.filter { e in !opposite.contains { $0.condition == e.condition } }
            var parts: [String] = []
            if !opposite.isEmpty { parts.append("the opposite, a − b \(test.expect == .positive ? "<" : ">") 0,\(named(opposite))") }
            if !open.isEmpty { parts.append("the 95% interval includes 0\(named(open))") }
            return parts.joined(separator: "; ")
        case .equivalent:
            let apart = differences.filter { $0.1.lower > test.margin || $0.1.upper < -test.margin }.map(\.0)
            let open = effects.filter { e in !apart.contains { $0.condition == e.condition } }
            var parts: [String] = []
            if !apart.isEmpty { parts.append("a and b differ by more than the margin\(named(apart))") }
            if !open.isEmpty {
                let signed = differences.filter { d in open.contains { $0.condition == d.0.condition } && (d.1.lower > 0 || d.1.upper < 0) }
                parts.append("the 95% interval reaches beyond the margin\(named(open))"
                             + (signed.isEmpty ? "" : ", and excludes 0\(effects.count == 1 ? "" : named(signed.map(\.0)))"))
            }
            return parts.joined(separator: "; ")
        }
    }
}
