#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Softmax cross-entropy over logits (N, K) with integer labels, optional label smoothing,
/// per-class weights and per-sample weights; mean over the batch weighted as PyTorch's
/// `CrossEntropyLoss`:
///
///   q = (1 − ε) · onehot(y) + ε / K,  ℓₙ = −Σₖ qₖ log softmax(zₙ)ₖ,  loss = Σₙ wₙ ℓₙ / Σₙ wₙ,
///
/// with wₙ = w_{yₙ} · sₙ, the class weight times the sample's own weight (1 when none is given).
///
/// Or, with `generalization` r in (0, 1], the noise-robust generalized cross-entropy of Zhang and
/// Sabuncu (NeurIPS 2018), ℓₙ = (1 − p_{yₙ}^r) / r with p = softmax(zₙ): cross-entropy as r → 0,
/// mean absolute error at r = 1; it down-weights samples the model finds unlikely (often the
/// mislabelled ones): ∂ℓₙ/∂zₙ = p_{yₙ}^r (p − onehot(yₙ)), cross-entropy's gradient scaled by p_{yₙ}^r.
///
/// `evaluate` also leaves the softmax probabilities in `probabilities` (N, K) and, when asked,
/// ∂loss/∂logits in `gradient`.
public final class SoftmaxCrossEntropy {
    public let classes: Int
    public let labelSmoothing: Float
    public let classWeights: [Float]?
    /// r of the generalized cross-entropy (0: plain cross-entropy).
    public let generalization: Float
    private var probabilityBuffer = Workspace(), gradientBuffer = Workspace()
    /// Softmax probabilities of the last `evaluate` call, (N, K).
    public private(set) var probabilities = Tensor(zeros: [0, 0])
    /// ∂loss/∂logits of the last `evaluate(…, computeGradient: true)`, (N, K).
    public private(set) var gradient = Tensor(zeros: [0, 0])

    /// - Throws: `EngineError.invalidOption` for fewer than 2 classes, smoothing outside [0, 1),
    ///   class weights of the wrong count or negative, a generalization outside [0, 1], or
    ///   smoothing together with the generalized loss.
    public init(classes: Int, labelSmoothing: Float = 0, classWeights: [Float]? = nil, generalization: Float = 0) throws {
        try require(classes >= 2, "SoftmaxCrossEntropy needs at least 2 classes, got \(classes)")
        try require(labelSmoothing >= 0 && labelSmoothing < 1, "label smoothing must be in [0, 1), got \(labelSmoothing)")
        try require(generalization >= 0 && generalization <= 1, "the generalized cross-entropy's r must be in (0, 1], got \(generalization)")
        try require(generalization == 0 || labelSmoothing == 0, "label smoothing and the generalized cross-entropy do not combine; choose one")
        if let classWeights {
            try require(classWeights.count == classes, "class weights: expected \(classes) values, got \(classWeights.count)")
            try require(classWeights.allSatisfy { $0 >= 0 && $0.isFinite }, "class weights must be finite and ≥ 0, got \(classWeights)")
        }
        self.classes = classes; self.labelSmoothing = labelSmoothing; self.classWeights = classWeights
        self.generalization = generalization
    }

    /// The mean loss of `logits` (N, K) against `labels` (N values in 0..<K), each row weighted
    /// by `weights` (N values ≥ 0) when given.
    public func evaluate(logits: Tensor, labels: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>? = nil,
                         computeGradient: Bool) -> Float {
        precondition(logits.shape.rank == 2 && logits.shape[1] == classes,
                     "SoftmaxCrossEntropy expects logits (N, \(classes)), got \(logits.shape)")
        precondition(labels.count == logits.shape[0], "SoftmaxCrossEntropy: \(labels.count) labels for \(logits.shape[0]) logit rows")
        precondition(weights.map { $0.count == labels.count } ?? true, "SoftmaxCrossEntropy: \(weights?.count ?? 0) weights for \(labels.count) labels")
        let n = logits.shape[0], k = classes
        probabilities = probabilityBuffer.tensor([n, k])
        if computeGradient { gradient = gradientBuffer.tensor([n, k]) }
        let off = labelSmoothing / Float(k), on = 1 - labelSmoothing + off
        var totalLoss = 0.0, totalWeight = 0.0
        for row in 0..<n {
            let label = Int(labels[row])
            precondition(label >= 0 && label < k, "label \(label) at row \(row) is outside 0..<\(k)")
            let z = logits.pointer + row * k, p = probabilities.pointer + row * k
            var zmax = z[0]
            for j in 1..<k where z[j] > zmax { zmax = z[j] }
            var denominator: Float = 0
            for j in 0..<k { p[j] = expf(z[j] - zmax); denominator += p[j] }
            let logDenominator = logf(denominator)
            var rowLoss: Float = 0
            for j in 0..<k {
                p[j] /= denominator
                let q = j == label ? on : off
                if q > 0 { rowLoss -= q * (z[j] - zmax - logDenominator) }
            }
            if generalization > 0 { rowLoss = (1 - expf(-generalization * rowLoss)) / generalization }   // p_y^r = exp(r · log p_y)
            let w = weight(label: label, row: row, weights)
            totalLoss += Double(w * rowLoss)
            totalWeight += Double(w)
        }
        let mean = totalWeight > 0 ? totalLoss / totalWeight : 0
        if computeGradient { fillGradient(labels: labels, weights: weights, totalWeight: Float(totalWeight), on: on, off: off) }
        return Float(mean)
    }

    /// Row `row`'s weight: its class's weight times its own (each 1 when not given).
    @inline(__always)
    private func weight(label: Int, row: Int, _ weights: UnsafeBufferPointer<Float>?) -> Float {
        (classWeights?[label] ?? 1) * (weights?[row] ?? 1)
    }

    private func fillGradient(labels: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>?, totalWeight: Float, on: Float, off: Float) {
        let n = probabilities.shape[0], k = classes
        for row in 0..<n {
            let label = Int(labels[row])
            let p = probabilities.pointer + row * k, g = gradient.pointer + row * k
            let robustness = generalization > 0 ? powf(p[label], generalization) : 1
            let scale = totalWeight > 0 ? robustness * weight(label: label, row: row, weights) / totalWeight : 0
            for j in 0..<k { g[j] = scale * (p[j] - (j == label ? on : off)) }
        }
    }
}
