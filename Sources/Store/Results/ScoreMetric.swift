/// What a model is measured by on its scored images, and so every gain in: the audit's `--metric`,
/// an experiment's `analysis.metric`.
public enum ScoreMetric: String, Sendable, CaseIterable {
    /// The share of the scored images labelled right: a point on a common class counts like a
    /// point on a rare one.
    case accuracy
    /// The mean of the classes' recalls over the classes the scored images hold: each class counts
    /// alike however rare — what a line whose defects are rare is judged by. Equal to accuracy
    /// when the scored classes are equally large.
    case balancedAccuracy = "balanced-accuracy"

    /// "accuracy", "balanced accuracy".
    public var name: String {
        switch self {
        case .accuracy: "accuracy"
        case .balancedAccuracy: "balanced accuracy"
        }
    }

    /// The metric of a confusion matrix (`confusion[t][p]`: images of true class t predicted as p).
    public func value(confusion: [[Int]]) -> Double {
        let rows = confusion.indices.filter { confusion[$0].reduce(0, +) > 0 }
        let right = rows.map { confusion[$0][$0] }, totals = rows.map { confusion[$0].reduce(0, +) }
        switch self {
        case .accuracy:
            return Double(right.reduce(0, +)) / Double(max(totals.reduce(0, +), 1))
        case .balancedAccuracy:
            return zip(right, totals).map { Double($0) / Double($1) }.reduce(0, +) / Double(max(rows.count, 1))
        }
    }

    /// The metric of a model that got `correct` of the images labelled `labels` right (in the same order).
    public func value(correct: [Bool], labels: [Int32]) -> Double {
        switch self {
        case .accuracy:
            return Double(correct.filter { $0 }.count) / Double(max(correct.count, 1))
        case .balancedAccuracy:
            let byClass = Dictionary(grouping: labels.indices, by: { labels[$0] })
            let recalls = byClass.keys.sorted().map { label in
                Double(byClass[label]!.filter { correct[$0] }.count) / Double(byClass[label]!.count)
            }
            return recalls.reduce(0, +) / Double(max(recalls.count, 1))
        }
    }

    /// What a point of each class's recall is worth in the metric, scored against `labels`: the
    /// class's share of them (accuracy), or one over the classes they hold (balanced accuracy); 0
    /// for a class they lack. The metric is the recalls summed with these weights.
    public func classWeights(labels: [Int32], classes: Int) -> [Double] {
        let counts = (0..<classes).map { c in labels.filter { $0 == Int32(c) }.count }
        let present = counts.filter { $0 > 0 }.count
        return counts.map { count in
            switch self {
            case .accuracy: Double(count) / Double(max(labels.count, 1))
            case .balancedAccuracy: count > 0 ? 1 / Double(present) : 0
            }
        }
    }
}
