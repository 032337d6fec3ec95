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
    /// The verdict with its condition: "depends: holds in noise-20, noise-30; not in noise-0, noise-1".
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
        if !missing.isEmpty {
            verdict = .notSupported
            summary = "not supported: fewer than two seeds with both sides in " + missing.map { $0.isEmpty ? "the run" : $0 }.joined(separator: ", ")
        } else if failed.isEmpty {
            verdict = .supported
            summary = "supported" + (effects.count > 1 ? " in every condition" : "")
        } else if held.isEmpty {
            verdict = .notSupported
            summary = "not supported" + (effects.count > 1 ? " in any condition" : "") + Self.reason(effects, test)
        } else {
            verdict = .depends
            summary = "depends: holds in \(held.joined(separator: ", ")); not in \(failed.joined(separator: ", "))"
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

    /// Why a claim that held nowhere failed: the opposite was measured, or the interval straddles.
    private static func reason(_ effects: [Effect], _ test: ClaimTest) -> String {
        let differences = effects.compactMap { $0.comparison?.difference }
        switch test.expect {
        case .positive where differences.allSatisfy { $0.upper < 0 }: return " (the opposite: a − b < 0)"
        case .negative where differences.allSatisfy { $0.lower > 0 }: return " (the opposite: a − b > 0)"
        case .equivalent where differences.allSatisfy { $0.lower > test.margin || $0.upper < -test.margin }: return " (they differ by more than the margin)"
        case .equivalent: return " (the 95% interval reaches beyond the margin)"
        default: return " (the 95% interval includes 0)"
        }
    }
}
