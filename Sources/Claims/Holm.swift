/// Holm's step-down correction (Holm 1979) for a family of tests: it keeps the chance of calling
/// any true null hypothesis false at or below α, whatever the dependence between the tests, and
/// rejects at least what Bonferroni's does. The claims of one article tested together are such a
/// family: eight chances at "supported" make one likely by luck at p < 0.05 each.
public enum Holm {
    /// Adjusted p-values, in the order given: sorted ascending, the i-th smallest (from 0) is
    /// multiplied by m − i, capped at 1 and made non-decreasing along the order, so that
    /// "adjusted p < α" is Holm's step-down rejection at α.
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        var adjusted = [Double](repeating: 1, count: m), running = 0.0
        for (rank, index) in pValues.indices.sorted(by: { (pValues[$0], $0) < (pValues[$1], $1) }).enumerated() {
            running = max(running, min(1, Double(m - rank) * pValues[index]))
            adjusted[index] = running
        }
        return adjusted
    }
}
