/// How a sample's label is scored for ranking issues, worst first (`cleanlab.rank`).
public enum LabelQualityScore: String, Sendable, CaseIterable, Encodable {
    /// The predicted probability of the given label.
    case selfConfidence = "self_confidence"
    /// (p(given) − max over other classes p(other) + 1) / 2.
    case normalizedMargin = "normalized_margin"

    /// The score of each sample's given label; lower means more likely mislabelled.
    public func scores(labels: [Int], probabilities p: PredictedProbabilities) -> [Double] {
        labels.enumerated().map { i, label in
            switch self {
            case .selfConfidence: return p[i, label]
            case .normalizedMargin:
                let others = (0..<p.classes).filter { $0 != label }.map { p[i, $0] }.max()!
                return (p[i, label] - others + 1) / 2
            }
        }
    }

    /// `samples` ordered from the lowest score to the highest (`order_label_issues`); ties keep index order.
    public func rank(_ samples: [Int], labels: [Int], probabilities: PredictedProbabilities) -> [Int] {
        let all = scores(labels: labels, probabilities: probabilities)
        return samples.sorted { (all[$0], $0) < (all[$1], $1) }
    }
}
