/// A classifier's scores on a labelled set.
public struct Evaluation: Sendable {
    public let classes: Int
    /// Fraction of samples whose arg-max prediction equals the label.
    public let accuracy: Double
    /// Mean cross-entropy (no smoothing, no weights).
    public let loss: Double
    /// `confusion[t][p]`: samples of true class `t` predicted as `p`.
    public let confusion: [[Int]]
    /// Per class: correct / samples of that class (0 for a class with no samples).
    public let recall: [Double]
    /// Per class: correct / samples predicted as that class (0 when never predicted).
    public let precision: [Double]
    /// Per class: harmonic mean of precision and recall (0 when both are 0).
    public let f1: [Double]
    /// Unweighted mean of the per-class F1.
    public let macroF1: Double
    /// Arg-max prediction per sample.
    public let predictions: [Int32]
    /// Softmax probabilities, row-major (N × classes).
    public let probabilities: [Float]

    /// Scores from true labels, predictions and probabilities.
    public init(labels: [Int32], predictions: [Int32], probabilities: [Float], classes: Int, loss: Double) {
        var confusion = Array(repeating: Array(repeating: 0, count: classes), count: classes)
        for (t, p) in zip(labels, predictions) { confusion[Int(t)][Int(p)] += 1 }
        let correct = (0..<classes).map { confusion[$0][$0] }
        let actual = confusion.map { $0.reduce(0, +) }
        let predicted = (0..<classes).map { p in confusion.reduce(0) { $0 + $1[p] } }
        recall = (0..<classes).map { actual[$0] > 0 ? Double(correct[$0]) / Double(actual[$0]) : 0 }
        precision = (0..<classes).map { predicted[$0] > 0 ? Double(correct[$0]) / Double(predicted[$0]) : 0 }
        f1 = zip(precision, recall).map { p, r in p + r > 0 ? 2 * p * r / (p + r) : 0 }
        macroF1 = f1.reduce(0, +) / Double(classes)
        accuracy = labels.isEmpty ? 0 : Double(correct.reduce(0, +)) / Double(labels.count)
        self.classes = classes; self.loss = loss; self.confusion = confusion
        self.predictions = predictions; self.probabilities = probabilities
    }
}

/// Runs `model` in inference mode over `data` in batches and scores it.
public func evaluate(model: Sequential, on data: LabeledImages, batchSize: Int = 64) -> Evaluation {
    let k = model.outputShape[0]
    let loss = try! SoftmaxCrossEntropy(classes: k) // k ≥ 2 is checked when the data is matched to the model
    var assembler = BatchAssembler(maxBatch: batchSize)
    defer { assembler.release() }
    let order = Array(0..<data.count)
    var probabilities = [Float](), predictions = [Int32](), lossSum = 0.0
    probabilities.reserveCapacity(data.count * k)
    predictions.reserveCapacity(data.count)
    for start in stride(from: 0, to: data.count, by: batchSize) {
        let range = start..<min(start + batchSize, data.count)
        let (x, y) = assembler.batch(of: data, order: order, range: range)
        let logits = model.forward(x, mode: .inference)
        lossSum += Double(loss.evaluate(logits: logits, labels: y, computeGradient: false)) * Double(range.count)
        let p = loss.probabilities
        probabilities.append(contentsOf: p.buffer)
        for row in 0..<range.count { predictions.append(Int32(argmax(p.pointer + row * k, count: k))) }
    }
    return Evaluation(labels: data.labels, predictions: predictions, probabilities: probabilities, classes: k,
                      loss: data.count > 0 ? lossSum / Double(data.count) : 0)
}
