#if canImport(Glibc)
import Glibc
#endif
import Store

/// What a paired difference over seeds says, by a pre-registered rule (`AnalysisPlan`).
public enum Verdict: String, Sendable, CaseIterable {
    /// The difference is above 0 (two-sided t-test at the look's level) and not within the margin.
    case better
    /// Below 0, and not within the margin.
    case worse
    /// Within ±margin: both one-sided tests against the margin reject (TOST; the 1 − 2α interval
    /// lies inside it), whether or not it is also different from 0 — no practical difference.
    case equivalent
    /// Neither: the seeds cannot tell.
    case inconclusive
}

/// A verdict with what it was decided from: the level used, the interval the equivalence test
/// read, the smallest effect the design could detect, and how many seeds would have decided.
public struct Decision: Sendable, Equatable {
    public let verdict: Verdict
    /// The two-sided level of the test at this look (α itself for a fixed number of seeds).
    public let alpha: Double
    /// The 1 − 2α interval of the mean difference (90% at α = 0.05), what equivalence reads.
    public let equivalenceLower: Double, equivalenceUpper: Double
    /// Minimum detectable effect: the true difference a two-sided t-test at `alpha` finds with 80%
    /// power at these seeds and this spread (NaN with fewer than two seeds, or no spread: the same
    /// difference on every seed — an arm that left the baseline as it was — sizes no test).
    public let minimumDetectableEffect: Double
    /// Seeds a fixed design at α would need to decide, were the mean and spread as measured (nil
    /// when decided, or beyond 1,000, or not estimable).
    public let seedsToDecide: Int?
}

extension AnalysisPlan {
    /// Decides the paired differences `d` (their summary) at the look `d.count` seeds make;
    /// `projecting` also estimates the seeds that would decide an inconclusive verdict.
    public func decide(_ d: Summary, projecting: Bool = true) -> Decision {
        let level = alpha(atSeeds: d.count)
        let n = d.count
        guard n >= 2 else {
            return Decision(verdict: .inconclusive, alpha: level, equivalenceLower: .nan, equivalenceUpper: .nan,
                            minimumDetectableEffect: .nan, seedsToDecide: nil)
        }
        let se = d.standardDeviation / Double(n).squareRoot()
        let verdict = Self.verdict(mean: d.mean, se: se, n: n, alpha: level, margin: margin)
        let oneSided = StudentT.quantile(1 - level, degreesOfFreedom: Double(n - 1))
        let mde = (StudentT.quantile(1 - level / 2, degreesOfFreedom: Double(n - 1)) + StudentT.quantile(0.8, degreesOfFreedom: Double(n - 1))) * se
        return Decision(verdict: verdict, alpha: level, equivalenceLower: d.mean - oneSided * se, equivalenceUpper: d.mean + oneSided * se,
                        minimumDetectableEffect: d.standardDeviation > 0 ? mde : .nan,
                        seedsToDecide: verdict == .inconclusive && projecting ? seedsToDecide(mean: d.mean, sd: d.standardDeviation, after: n) : nil)
    }

    /// The verdict of a mean difference with standard error `se` over `n` seeds at level `alpha`.
    static func verdict(mean: Double, se: Double, n: Int, alpha: Double, margin: Double) -> Verdict {
        let oneSided = StudentT.quantile(1 - alpha, degreesOfFreedom: Double(n - 1))
        if mean - oneSided * se > -margin && mean + oneSided * se < margin { return .equivalent }
        let twoSided = StudentT.quantile(1 - alpha / 2, degreesOfFreedom: Double(n - 1))
        if mean - twoSided * se > 0 { return .better }
        if mean + twoSided * se < 0 { return .worse }
        return .inconclusive
    }

    /// The fewest seeds, beyond `n`, at which a fixed design at α would decide a mean difference
    /// `mean` with spread `sd` (nil beyond 1,000 seeds, or with no spread to project). Deciding
    /// only gets easier with more seeds (both intervals narrow), so a bisection finds it.
    func seedsToDecide(mean: Double, sd: Double, after n: Int) -> Int? {
        guard sd > 0, mean.isFinite else { return nil }
        let decides = { (m: Int) in Self.verdict(mean: mean, se: sd / Double(m).squareRoot(), n: m, alpha: self.alpha, margin: self.margin) != .inconclusive }
        var low = n, high = 1000
        guard decides(high) else { return nil }
        while high - low > 1 {
            let mid = (low + high) / 2
            if decides(mid) { high = mid } else { low = mid }
        }
        return high
    }

    /// The two-sided level of the test after `seeds` seeds: α for a fixed design; with the
    /// sequential rule, the look's share of α under O'Brien–Fleming-type spending (Lan and
    /// DeMets 1983), α(t) = 2 − 2Φ(z₁₋α/₂ / √t) at information fraction t = seeds / maximum, so
    /// early looks spend almost nothing. The shares add up to α over the looks, so by the union
    /// bound the chance of a false better or worse over the whole sequence stays ≤ α. A seed
    /// count between looks is tested at the last look before it (conservative).
    public func alpha(atSeeds seeds: Int) -> Double {
        guard let sequential else { return alpha }
        let looks = sequential.looks
        guard let index = looks.lastIndex(where: { $0 <= seeds }) else { return spent(Double(looks[0]) / Double(sequential.maximum)) }
        let previous = index == 0 ? 0 : spent(Double(looks[index - 1]) / Double(sequential.maximum))
        return spent(Double(looks[index]) / Double(sequential.maximum)) - previous
    }

    /// α spent by information fraction `t` (O'Brien–Fleming-type).
    private func spent(_ t: Double) -> Double {
        guard t > 0 else { return 0 }
        return min(alpha, 2 - 2 * Normal.cdf(Normal.quantile(1 - alpha / 2) / min(t, 1).squareRoot()))
    }
}

/// The standard normal distribution.
enum Normal {
    static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// The z with Φ(z) = p, by bisection.
    static func quantile(_ p: Double) -> Double {
        var low = -40.0, high = 40.0
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if cdf(mid) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }
}
