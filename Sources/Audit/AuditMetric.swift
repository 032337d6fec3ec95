import Datasets

/// What the audit measures every model by, and so every lever's gain in.
public enum AuditMetric: String, Sendable, CaseIterable {
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

/// How far one class dominates the scored images: the case where accuracy hides the rare classes.
public struct ClassDominance: Sendable, Equatable {
    /// The largest class of the scored images, and its share of them.
    public let largestClass: Int32
    public let share: Double

    /// The dominant class of `labels` (of `classes` classes), or nil when none holds more than
    /// half of the images and more than twice its share were the classes equally large.
    public init?(labels: [Int32], classes: Int) {
        guard !labels.isEmpty, classes >= 2 else { return nil }
        let counts = Dictionary(labels.map { ($0, 1) }, uniquingKeysWith: +)
        let (label, count) = counts.max { $0.value < $1.value || ($0.value == $1.value && $0.key > $1.key) }!
        let share = Double(count) / Double(labels.count)
        guard share > 0.5, share > 2 / Double(classes) else { return nil }
        (largestClass, self.share) = (label, share)
    }
}
