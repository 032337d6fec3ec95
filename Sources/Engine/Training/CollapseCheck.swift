/// Whether a finished training collapsed instead of learning, judged only from what a team can
/// see without clean labels: the final model's predictions and its per-class recall on the
/// validation split as delivered, and the training loss curve. A collapsed model still has an
/// accuracy (a one-class model scores that class's share), which is why it must not be averaged
/// in as if it had learned.
public enum CollapseCheck {
    /// The share of predictions one class may take before the model counts as predicting one class.
    public static let singleClassShare = 0.99
    /// Balanced accuracy at or below this multiple of chance (1 / classes present) counts as chance level.
    public static let chanceMargin = 1.1
    /// Chance level is judged only on at least this many held-out samples per class present: on
    /// fewer, a weak model's balanced accuracy scatters around chance by sampling alone.
    public static let samplesPerClassForChance = 10
    /// The training loss must fall below this share of its first epoch's value at some later epoch.
    public static let lossDecrease = 0.99

    /// The evidence of a collapse, in words, or nil when the training looks healthy.
    /// - Parameters:
    ///   - predictions: the final model's arg-max predictions on the validation split (or, without
    ///     one, on any held-out images: predictions need no labels).
    ///   - labels: the same samples' delivered labels, for the chance-level test (nil: skip it).
    ///   - trainLoss: the mean training loss per epoch.
    public static func evidence(predictions: [Int32], labels: [Int32]?, classes: Int, trainLoss: [Double]) -> String? {
        var found: [String] = []
        if let share = largestClassShare(predictions), share.share >= singleClassShare, classes > 1 {
            found.append("\(percent(share.share)) of \(predictions.count) held-out predictions are class \(share.label)")
        }
        if let labels, let balanced = balancedAccuracy(predictions: predictions, labels: labels) {
            let present = Set(labels).count
            let chance = 1 / Double(present)
            if present > 1, labels.count >= samplesPerClassForChance * present, balanced.value <= chanceMargin * chance {
                found.append("balanced validation accuracy \(percent(balanced.value)) is chance level for \(present) classes (\(percent(chance)))")
            }
        }
        if trainLoss.count >= 3, let first = trainLoss.first, first.isFinite, trainLoss.dropFirst().allSatisfy({ $0 >= lossDecrease * first }) {
            found.append("the training loss never fell 1% below its first epoch's \((first * 10_000).rounded() / 10_000)")
        }
        return found.isEmpty ? nil : found.joined(separator: "; ")
    }

    /// "12.3%".
    private static func percent(_ x: Double) -> String { "\((x * 1000).rounded() / 10)%" }

    /// The most predicted class and its share of `predictions` (nil when empty).
    static func largestClassShare(_ predictions: [Int32]) -> (label: Int32, share: Double)? {
        guard !predictions.isEmpty else { return nil }
        let counts = Dictionary(grouping: predictions, by: { $0 }).mapValues(\.count)
        let top = counts.max { ($0.value, -$0.key) < ($1.value, -$1.key) }!
        return (top.key, Double(top.value) / Double(predictions.count))
    }

    /// The mean over the classes present in `labels` of each one's recall (nil when empty).
    static func balancedAccuracy(predictions: [Int32], labels: [Int32]) -> (value: Double, classes: Int)? {
        guard !labels.isEmpty, labels.count == predictions.count else { return nil }
        let byClass = Dictionary(grouping: zip(labels, predictions), by: { $0.0 })
        let recalls = byClass.values.map { pairs in Double(pairs.filter { $0.0 == $0.1 }.count) / Double(pairs.count) }
        return (recalls.reduce(0, +) / Double(recalls.count), recalls.count)
    }
}
