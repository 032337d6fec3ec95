import Engine
import Foundation

/// How active learning picks the pool samples to label next.
public enum QueryStrategy: String, Sendable, CaseIterable, Encodable {
    /// Uniformly at random: the baseline every strategy must beat.
    case random
    /// Lowest top-class probability first.
    case leastConfidence = "least-confidence"
    /// Smallest gap between the two most probable classes first.
    case margin
    /// Highest predictive entropy first.
    case entropy

    /// The `batch` rows of `probabilities` to label next (row indices, most wanted first).
    public func select(_ batch: Int, from probabilities: PredictedProbabilities, using generator: inout SplitMix64) -> [Int] {
        var rows = Array(0..<probabilities.count)
        if self == .random {
            generator.shuffle(&rows)
            return Array(rows.prefix(batch))
        }
        let urgency = rows.map { self.urgency(probabilities, $0) }
        return Array(rows.sorted { (urgency[$0], -$0) > (urgency[$1], -$1) }.prefix(batch))
    }

    /// Higher means more informative to label.
    private func urgency(_ p: PredictedProbabilities, _ row: Int) -> Double {
        let values = (0..<p.classes).map { p[row, $0] }
        switch self {
        case .random: return 0
        case .leastConfidence: return 1 - values.max()!
        case .margin:
            let sorted = values.sorted(by: >)
            return -(sorted[0] - sorted[1])
        case .entropy: return -values.reduce(0) { $0 + ($1 > 0 ? $1 * log($1) : 0) }
        }
    }
}
