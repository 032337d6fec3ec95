/// The claims put to the test together, as one family of tests: each claim's p-value
/// (`ClaimVerdict.pValue`) adjusted by Holm's step-down correction over all of them, so that
/// "supported after correction" keeps the chance of supporting any false claim at α.
public struct ClaimFamily: Sendable {
    public let results: [ClaimResult]
    /// Holm-adjusted p-values, in the order of `results`.
    public let adjustedPValues: [Double]
    /// The family-wise error rate the correction holds.
    public let alpha: Double

    public init(_ results: [ClaimResult], alpha: Double = 0.05) {
        self.results = results
        self.alpha = alpha
        adjustedPValues = Holm.adjusted(results.map(\.verdict.pValue))
    }

    /// Whether claim `index` is supported with the family corrected for.
    public func supportedAfterCorrection(_ index: Int) -> Bool {
        results[index].verdict.verdict == .supported && adjustedPValues[index] < alpha
    }

    /// The verdict as the family reads it: "supported", "supported alone, not after Holm's
    /// correction over 8 claims", or the claim's own verdict.
    public func verdictText(_ index: Int) -> String {
        let own = results[index].verdict.verdict
        guard own == .supported else { return own.rawValue }
        return supportedAfterCorrection(index) ? "supported" : "supported alone, not after Holm's correction over \(results.count) claims"
    }
}
