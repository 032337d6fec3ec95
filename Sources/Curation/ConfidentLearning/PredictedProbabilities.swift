/// Predicted class probabilities, one row per sample (N × K, row-major), `P(label = k | x)`.
///
/// Label-issue detection is only sound on *out-of-sample* probabilities: each row must come
/// from a model that never trained on that sample (see `CrossValidation`).
public struct PredictedProbabilities: Sendable, Equatable {
    /// N
    public let count: Int
    /// K
    public let classes: Int
    /// N × K, row-major.
    public let values: [Double]

    /// - Throws: `CurationError.invalidInput` when the values are not N × K, or any value is
    ///   outside [0, 1] or not finite (naming the row and column).
    public init(values: [Double], classes: Int) throws {
        guard classes >= 2 else { throw CurationError.invalidInput("probabilities need at least 2 classes, got \(classes)") }
        guard values.count % classes == 0 else {
            throw CurationError.invalidInput("probabilities: \(values.count) values do not make rows of \(classes) classes")
        }
        if let bad = values.firstIndex(where: { !$0.isFinite || $0 < 0 || $0 > 1 }) {
            throw CurationError.invalidInput("probabilities: row \(bad / classes), class \(bad % classes) is \(values[bad]); expected a probability in [0, 1]")
        }
        self.values = values
        self.classes = classes
        count = values.count / classes
    }

    /// From single-precision engine output (`Evaluation.probabilities`).
    public init(_ values: [Float], classes: Int) throws {
        try self.init(values: values.map(Double.init), classes: classes)
    }

    public subscript(sample: Int, label: Int) -> Double { values[sample * classes + label] }

    /// The first class with the highest probability (NumPy's `argmax`).
    public func predictedClass(_ sample: Int) -> Int {
        var best = 0
        for k in 1..<classes where self[sample, k] > self[sample, best] { best = k }
        return best
    }

    /// Checks `labels` against these rows: one label per row, each a class index.
    func validate(labels: [Int]) throws {
        guard labels.count == count else {
            throw CurationError.invalidInput("labels and probabilities must have the same length: \(labels.count) labels, \(count) rows")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || $0 >= classes }) {
            throw CurationError.invalidInput("label \(bad) is \(labels[bad]); expected a class in 0..<\(classes)")
        }
    }
}
