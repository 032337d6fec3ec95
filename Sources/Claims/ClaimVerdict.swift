import Harness

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
    }

    public let effects: [Effect]
    public let verdict: Verdict
    /// Why, with the conditions: "holds in noise-20, noise-30; not in noise-0, noise-1" (empty when supported).
    public let detail: String
    /// The verdict with its detail: "depends: holds in noise-20, noise-30; not in noise-0, noise-1".
    public let summary: String

    /// Applies `test` to the analyses of a claim's conditions (by condition name).
    public init(_ test: ClaimTest, analyses: [String: ExperimentAnalysis]) {
        effects = test.at.map { condition in
            let side = { (s: ClaimTest.Side) in analyses[s.condition ?? condition].map { s.arm.accuracy(in: $0) } ?? [:] }
            let a = side(test.a), b = side(test.b)
            let seeds = Set(a.keys).intersection(b.keys).sorted()
            guard seeds.count >= 2 else { return Effect(condition: condition, comparison: nil, holds: false) }
            let comparison = PairedComparison(arm: seeds.map { a[$0]! }, baseline: seeds.map { b[$0]! })
            return Effect(condition: condition, comparison: comparison, holds: Self.holds(comparison.difference, test))
        }
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
