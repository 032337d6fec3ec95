import Store

/// The look-alike classes of a data set as a model sees them: unordered class pairs ranked by how
/// often a model mistakes one for the other on the test split, summed over trials (both directions).
/// `flywheel calibrate --confused-pairs N` prints them, from the baseline on the calibration seeds
/// trained on the labels as imported, so an experiment can inject annotator conventions on the pairs
/// a model confuses rather than on pairs picked by hand.
public struct ConfusedPair: Equatable, Sendable {
    public let first: String
    public let second: String
    /// Test images of either class predicted as the other, over all trials.
    public let mistakes: Int

    public init(first: String, second: String, mistakes: Int) {
        self.first = first; self.second = second; self.mistakes = mistakes
    }

    /// The `count` most confused pairs of `records` (which must share their classes), most mistakes
    /// first; ties go to the pair of lower class indices. Pairs never confused are left out.
    public static func ranked(_ records: [TrialRecord], count: Int) -> [ConfusedPair] {
        guard let names = records.first?.classNames else { return [] }
        let k = names.count
        var total = Array(repeating: Array(repeating: 0, count: k), count: k)
        for record in records where record.classNames == names {
            guard let confusion = record.metrics?.confusion else { continue }
            for t in 0..<k { for p in 0..<k { total[t][p] += confusion[t][p] } }
        }
        let pairs = (0..<k).flatMap { a in ((a + 1)..<k).map { b in (a, b, total[a][b] + total[b][a]) } }
        return pairs.filter { $0.2 > 0 }
            .sorted { ($0.2, -$0.0, -$0.1) > ($1.2, -$1.0, -$1.1) }
            .prefix(count)
            .map { ConfusedPair(first: names[$0.0], second: names[$0.1], mistakes: $0.2) }
    }

    /// The pairs as an experiment file writes them: `[[a, b], [c, d]]`.
    public static func yaml(_ pairs: [ConfusedPair]) -> String {
        "[" + pairs.map { "[\($0.first), \($0.second)]" }.joined(separator: ", ") + "]"
    }
}
