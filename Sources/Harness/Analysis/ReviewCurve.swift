import Store

/// The review curve of an experiment (`arms.review-curve`): the fixed model's test accuracy
/// against the fraction of training labels reviewed in rank order, from the baseline (0) to the
/// gold-label model (1), and the fraction a team must review to reach 95% of the gold-label
/// model's accuracy — the figure DataPerf's debugging track scores.
public struct ReviewCurve: Sendable {
    /// One point of the curve over seeds.
    public struct Point: Sendable {
        /// 0 for the baseline, 1 for the gold-label model.
        public let fraction: Double
        public let name: String
        public let accuracy: Summary
        /// Against the baseline, paired (nil for the baseline itself).
        public let gain: PairedComparison?
    }
    /// Ascending in `fraction`.
    public let points: [Point]
    /// What a point must reach: 95% of the gold-label model's accuracy.
    public static let target = 0.95
    /// Per seed, the smallest fraction at which the curve (linear between points) reaches the
    /// target share of that seed's gold-label accuracy.
    public let fractionToTarget: [Int: Double]
    /// The same on the mean curve.
    public let fractionToTargetOfMean: Double
    /// The seeds the curve covers (those with the baseline and every point).
    public let seeds: [Int]

    /// The curve from the baseline trials and the `review-curve` trials among `trials`; nil without a complete seed.
    public init?(baseline: [Int: TrialRecord], trials: [TrialRecord]) {
        let curveTrials = trials.filter { $0.arm == .reviewCurve }
        let bySeed = Dictionary(grouping: curveTrials, by: { Int($0.seed) })
        let names = Set(curveTrials.map(\.variant))
        let ordered = names.compactMap { name in ReviewCurveSpec.fraction(ofPointNamed: name).map { (name, $0) } }.sorted { $0.1 < $1.1 }
        let covered = bySeed.keys.filter { seed in baseline[seed] != nil && Set(bySeed[seed]!.map(\.variant)) == names }.sorted()
        guard !covered.isEmpty, ordered.last?.1 == 1 else { return nil }
        let accuracy = { (seed: Int, name: String) in bySeed[seed]!.first { $0.variant == name }!.metrics!.accuracy }
        let base = covered.map { baseline[$0]!.metrics!.accuracy }
        let curvePoints = [Point(fraction: 0, name: Arm.baseline.rawValue, accuracy: Summary(base), gain: nil)] + ordered.map { name, fraction in
            let values = covered.map { accuracy($0, name) }
            return Point(fraction: fraction, name: name, accuracy: Summary(values), gain: PairedComparison(arm: values, baseline: base))
        }
        let curve = { (seed: Int) in [(0.0, baseline[seed]!.metrics!.accuracy)] + ordered.map { ($0.1, accuracy(seed, $0.0)) } }
        seeds = covered
        points = curvePoints
        fractionToTarget = Dictionary(uniqueKeysWithValues: covered.map { ($0, Self.crossing(curve($0))) })
        fractionToTargetOfMean = Self.crossing(curvePoints.map { ($0.fraction, $0.accuracy.mean) })
    }

    /// Where a piecewise-linear curve of (fraction, accuracy), ending at the gold-label model,
    /// first reaches `target` × its last accuracy.
    static func crossing(_ curve: [(Double, Double)]) -> Double {
        let goal = target * curve.last!.1
        if curve[0].1 >= goal { return curve[0].0 }
        for (a, b) in zip(curve, curve.dropFirst()) where b.1 >= goal {
            return a.0 + (b.0 - a.0) * (goal - a.1) / (b.1 - a.1)
        }
        return curve.last!.0
    }
}
