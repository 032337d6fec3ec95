/// The confident joint of confident learning (Northcutt, Jiang & Chuang, JAIR 2021, §3.1):
/// `counts[given][true]` is the number of samples labelled `given` whose predicted probability
/// of `true` reaches that class's confident threshold, calibrated so each row sums to the
/// number of samples labelled `given`. Computed as `cleanlab.count.compute_confident_joint`.
public struct ConfidentJoint: Sendable, Equatable {
    /// K × K, `counts[given][true]`, calibrated when `calibrate` was true.
    public let counts: [[Int]]
    /// Per class: the mean predicted probability of that class over the samples labelled with it
    /// (2 for a class nobody was labelled with), never below 2e-6.
    public let thresholds: [Double]
    /// Samples counted off the diagonal: confidently predicted as a class other than their
    /// label (in index order). These are `filter_by = confident_learning`'s issues.
    public let offDiagonalSamples: [Int]

    /// - Parameters:
    ///   - labels: N given (possibly noisy) labels, each in 0..<K.
    ///   - probabilities: N × K out-of-sample predicted probabilities.
    ///   - calibrate: rescale rows to the label counts, as cleanlab does by default.
    /// - Throws: `CurationError.invalidInput` when labels and probabilities disagree.
    public init(labels: [Int], probabilities: PredictedProbabilities, calibrate: Bool = true) throws {
        try probabilities.validate(labels: labels)
        let k = probabilities.classes
        thresholds = Self.thresholds(labels: labels, probabilities: probabilities)
        var counts = Array(repeating: Array(repeating: 0, count: k), count: k)
        var offDiagonal: [Int] = []
        for (i, label) in labels.enumerated() {
            guard let guess = Self.trueLabelGuess(i, probabilities, thresholds) else { continue }
            counts[label][guess] += 1
            if guess != label { offDiagonal.append(i) }
        }
        for c in 0..<k { counts[c][c] = max(counts[c][c], 1) }
        self.counts = calibrate ? Self.calibrated(counts, labelCounts: labelCounts(labels, classes: k)) : counts
        offDiagonalSamples = offDiagonal
    }

    /// Per-class confident thresholds: mean self-confidence of each class's labelled samples.
    public static func thresholds(labels: [Int], probabilities: PredictedProbabilities) -> [Double] {
        var own = [[Double]](repeating: [], count: probabilities.classes)
        for (i, label) in labels.enumerated() { own[label].append(probabilities[i, label]) }
        return own.map { max($0.isEmpty ? 2 : numpyMean($0), 2e-6) }
    }

    /// The class sample `i` is confidently counted as, or nil when no probability reaches its
    /// class's threshold: the only confident class, or the arg-max when several are confident.
    private static func trueLabelGuess(_ i: Int, _ p: PredictedProbabilities, _ thresholds: [Double]) -> Int? {
        var first: Int?, confidentCount = 0
        for k in 0..<p.classes where p[i, k] >= thresholds[k] - 1e-6 {
            if first == nil { first = k }
            confidentCount += 1
        }
        return confidentCount > 1 ? p.predictedClass(i) : first
    }

    /// Rescales rows to the label counts and the whole matrix to N, then rounds each row to
    /// integers that keep its total (`calibrate_confident_joint`).
    static func calibrated(_ counts: [[Int]], labelCounts: [Int]) -> [[Int]] {
        let rows = counts.indices.map { given -> [Double] in
            let total = max(Double(counts[given].reduce(0, +)), 1e-100)
            return counts[given].map { Double($0) / total * Double(labelCounts[given]) }
        }
        let sum = max(numpySum(rows.flatMap { $0 }), 1e-100), n = Double(labelCounts.reduce(0, +))
        return rows.map { row in roundPreservingSum(row.map { $0 / sum * n }) }
    }
}
