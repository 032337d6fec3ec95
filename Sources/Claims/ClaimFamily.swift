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
    /// A claim its test was unlikely to support even if true (`ClaimPower.isAdequate` false) and
    /// that it did not support reads "not shown at this power (…)" instead of its own verdict, and
    /// in a quick run, which states no power, "not shown in a quick run (…)".
    public func verdictText(_ index: Int) -> String {
        let own = results[index].verdict.verdict
        if own != .supported, results[index].claim.quick {
            return "not shown in a quick run (\(results[index].claim.conditions[0].experiment.seeds.count) seeds, no power: a first look, not the test)"
        }
        if own != .supported, let power = results[index].power, !power.isAdequate {
            return "not shown at this power (\(Self.powerText(power)))"
        }
        guard own == .supported else { return own.rawValue }
        return supportedAfterCorrection(index) ? "supported" : "supported alone, not after Holm's correction over \(results.count) claims"
    }

    /// "power 34% at 5 seeds; 23 would give 80%".
    public static func powerText(_ power: ClaimPower) -> String {
        let needed = power.seedsForTarget.map { "\($0) would give \(Int(ClaimPower.target * 100))%" }
            ?? "more than \(ClaimPower.maximumSeeds) would be needed for \(Int(ClaimPower.target * 100))%"
        return "power \(Int((power.power * 100).rounded()))% at \(power.seeds) seeds; \(needed)"
    }
}
