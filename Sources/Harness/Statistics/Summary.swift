import Engine

/// Mean, standard deviation and a 95% Student-t confidence interval of values over seeds.
public struct Summary: Sendable, Equatable {
    public let count: Int
    public let mean: Double
    /// Sample standard deviation (n − 1); 0 for a single value.
    public let standardDeviation: Double
    /// 95% confidence interval of the mean (the mean itself when n = 1).
    public let lower: Double, upper: Double

    public init(_ values: [Double], confidence: Double = 0.95) {
        precondition(!values.isEmpty, "Summary of no values")
        count = values.count
        mean = values.reduce(0, +) / Double(values.count)
        let m = mean
        standardDeviation = values.count > 1
            ? (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot() : 0
        let half = values.count > 1
            ? StudentT.quantile(1 - (1 - confidence) / 2, degreesOfFreedom: Double(values.count - 1))
                * standardDeviation / Double(values.count).squareRoot()
            : 0
        lower = mean - half
        upper = mean + half
    }

    /// The interval of a share (an accuracy, a recall) clipped to 0…1: few seeds and a wide spread
    /// put a t interval past 100%, where no accuracy can be.
    public var shareInterval: (lower: Double, upper: Double) { (max(lower, 0), min(upper, 1)) }
}

/// The paired comparison of an arm against the baseline over the same seeds: differences
/// dᵢ = armᵢ − baselineᵢ, their mean with a t interval, a percentile bootstrap interval and the
/// two-sided paired t-test p-value.
public struct PairedComparison: Sendable, Equatable {
    public let difference: Summary
    public let bootstrapLower: Double, bootstrapUpper: Double
    /// Two-sided p-value of the paired t-test (1 when every difference is 0; 0 when they are
    /// all equal and non-zero).
    public let pValue: Double

    /// - Parameters: `arm` and `baseline` are per-seed values in the same seed order.
    public init(arm: [Double], baseline: [Double], bootstrapSamples: Int = 10_000, seed: UInt64 = 1) {
        precondition(arm.count == baseline.count && !arm.isEmpty, "paired comparison needs equal, non-empty samples")
        let d = zip(arm, baseline).map { $0 - $1 }
        difference = Summary(d)
        var g = SplitMix64(seed: seed)
        var means = (0..<bootstrapSamples).map { _ in
            (0..<d.count).reduce(0.0) { total, _ in total + d[g.nextIndex(below: d.count)] } / Double(d.count)
        }
        means.sort()
        bootstrapLower = means[Int(0.025 * Double(bootstrapSamples))]
        bootstrapUpper = means[min(bootstrapSamples - 1, Int(0.975 * Double(bootstrapSamples)))]
        if d.count < 2 || difference.standardDeviation == 0 {
            pValue = difference.mean == 0 ? 1 : (d.count < 2 ? 1 : 0)
        } else {
            let t = difference.mean / (difference.standardDeviation / Double(d.count).squareRoot())
            pValue = StudentT.twoSidedPValue(t, degreesOfFreedom: Double(d.count - 1))
        }
    }
}
