/// The hidden quantities confident learning estimates from the confident joint
/// (`cleanlab.count.estimate_latent`, `py_method = "cnt"`, no convergence loop).
public struct NoiseEstimate: Sendable, Equatable {
    /// `noiseMatrix[given][true]` = P(label = given | true label = true); columns sum to 1.
    public let noiseMatrix: [[Double]]
    /// `inverseNoiseMatrix[true][given]` = P(true label = true | label = given); columns sum to 1.
    public let inverseNoiseMatrix: [[Double]]
    /// P(true label = k), the estimated clean class prior.
    public let prior: [Double]
    /// Estimated fraction of labels that are wrong: 1 − Σ_k joint[k][k].
    public let noiseRate: Double

    /// - Parameters: `joint` is the (calibrated) confident joint of `labels`.
    public init(joint: ConfidentJoint, labels: [Int]) {
        let k = joint.counts.count
        let c = joint.counts.map { $0.map(Double.init) }
        let labelled = labelCounts(labels, classes: k).map { Double($0) / Double(labels.count) }
        let givenTotals = c.map { numpySum($0) }
        let trueTotals = (0..<k).map { t in numpySum(c.map { $0[t] }) }
        let noise = (0..<k).map { g in (0..<k).map { t in c[g][t] / max(trueTotals[t], 1e-100) } }
        let inverse = (0..<k).map { t in (0..<k).map { g in c[g][t] / max(givenTotals[g], 1e-100) } }
        let prior = (0..<k).map { inverse[$0][$0] / max(noise[$0][$0], 1e-100) * labelled[$0] }
        self.prior = Self.clipped(prior, low: 1e-6, high: 1, sum: 1)
        noiseMatrix = Self.clippedNoiseRates(noise)
        inverseNoiseMatrix = Self.clippedNoiseRates(inverse)
        let total = c.joined().reduce(0, +)
        noiseRate = total > 0 ? 1 - (0..<k).reduce(0) { $0 + c[$1][$1] } / total : 0
    }

    /// `clip_values`: clip into [low, high], then rescale to `sum`.
    private static func clipped(_ x: [Double], low: Double, high: Double, sum: Double) -> [Double] {
        let clipped = x.map { min(max($0, low), high) }
        let total = max(numpySum(clipped), 1e-100)
        return clipped.map { $0 * sum / total }
    }

    /// `clip_noise_rates`: off-diagonal rates into [0, 0.9999], then columns renormalised to 1.
    private static func clippedNoiseRates(_ m: [[Double]]) -> [[Double]] {
        let k = m.count
        var clipped = m.indices.map { i in m[i].indices.map { j in i == j ? m[i][j] : min(max(m[i][j], 0), 0.9999) } }
        for j in 0..<k {
            let total = max(numpySum(clipped.map { $0[j] }), 1e-100)
            for i in 0..<k { clipped[i][j] /= total }
        }
        return clipped
    }
}
