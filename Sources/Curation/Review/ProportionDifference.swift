#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A share `count / total` of rows, with its Wilson score interval.
public struct Proportion: Sendable, Equatable {
    public let count: Int, total: Int
    public init(count: Int, total: Int) { self.count = count; self.total = total }

    /// The share; NaN of no rows.
    public var value: Double { total == 0 ? .nan : Double(count) / Double(total) }

    /// Wilson's score interval at the two-sided level whose normal quantile is `z`.
    public func interval(z: Double) -> (lower: Double, upper: Double) {
        guard total > 0 else { return (.nan, .nan) }
        let n = Double(total), p = value, z2 = z * z
        let centre = (p + z2 / (2 * n)) / (1 + z2 / n)
        let half = z * (p * (1 - p) / n + z2 / (4 * n * n)).squareRoot() / (1 + z2 / n)
        return (max(0, centre - half), min(1, centre + half))
    }
}

/// The difference of two independent shares `a − b`: Newcombe's hybrid score interval (his
/// method 10, from the two Wilson intervals), Fisher's exact two-sided p-value, and the smallest
/// difference a design of these sizes detects with 80% power.
public struct ProportionDifference: Sendable, Equatable {
    public let a: Proportion, b: Proportion
    public init(_ a: Proportion, _ b: Proportion) { self.a = a; self.b = b }

    /// Normal quantiles: two-sided 95% (z₀.₉₇₅) and 90% (z₀.₉₅).
    public static let z95 = 1.959963984540054, z90 = 1.6448536269514722

    public var value: Double { a.value - b.value }

    /// Newcombe's interval of a − b at the level of `z`.
    public func interval(z: Double) -> (lower: Double, upper: Double) {
        let (l1, u1) = a.interval(z: z), (l2, u2) = b.interval(z: z), d = value
        let pa = a.value, pb = b.value
        return (d - ((pa - l1) * (pa - l1) + (u2 - pb) * (u2 - pb)).squareRoot(), d + ((u1 - pa) * (u1 - pa) + (pb - l2) * (pb - l2)).squareRoot())
    }

    /// Fisher's exact test of the 2 × 2 table, two-sided: the probability, given the margins, of
    /// a table at most as likely as the one observed.
    public var fisherPValue: Double {
        let n = a.total + b.total, hits = a.count + b.count
        guard a.total > 0, b.total > 0 else { return .nan }
        let lowest = max(0, hits - b.total), highest = min(hits, a.total)
        func logP(_ x: Int) -> Double { logChoose(a.total, x) + logChoose(b.total, hits - x) - logChoose(n, hits) }
        let observed = logP(a.count)
        let p = (lowest...highest).map(logP).filter { $0 <= observed + 1e-7 }.reduce(0) { $0 + exp($1) }
        return min(1, p)
    }

    /// The smallest rise above b's share that a two-sided test at 5% finds with 80% power with
    /// these numbers of rows (normal approximation, b's share as measured); nil when no rise up to
    /// a share of 1 would be.
    public var minimumDetectableRise: Double? {
        let p0 = b.value, n1 = Double(a.total), n0 = Double(b.total)
        guard a.total > 0, b.total > 0, p0 < 1 else { return nil }
        func power(_ d: Double) -> Double {
            let p1 = p0 + d, pooled = (n1 * p1 + n0 * p0) / (n1 + n0)
            let null = (pooled * (1 - pooled) * (1 / n1 + 1 / n0)).squareRoot(), alternative = (p1 * (1 - p1) / n1 + p0 * (1 - p0) / n0).squareRoot()
            return 0.5 * erfc(-((d - Self.z95 * null) / max(alternative, 1e-12)) / 2.0.squareRoot())
        }
        guard power(1 - p0) >= 0.8 else { return nil }
        var low = 0.0, high = 1 - p0
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if power(mid) < 0.8 { low = mid } else { high = mid }
        }
        return high
    }
}

private func logChoose(_ n: Int, _ k: Int) -> Double { lgamma(Double(n + 1)) - lgamma(Double(k + 1)) - lgamma(Double(n - k + 1)) }
