/// Fully connected layer: `y[n, o] = b[o] + Σ_i w[o, i] · x[n, i]`, optionally with a fused ReLU.
///
/// Layout: input (N, inputFeatures), kernel (outputFeatures, inputFeatures) as in PyTorch,
/// output (N, outputFeatures). Initialisation: He normal when followed by ReLU, Glorot uniform
/// otherwise; zero bias. A large layer's GEMMs are split across the engine's workers by columns
/// (output features for y and dW, input features for dx): each element is still computed whole by
/// one GEMM call, with no partial sums to add.
public final class Dense: Layer {
    public let kind = "dense"
    public let inputFeatures, outputFeatures: Int
    public let activation: Activation
    public let kernel: Parameter
    public let bias: Parameter
    public var needsInputGradient = true
    private var output = Workspace(), inputGradient = Workspace(), maskedGradient = Workspace()
    private var lastInput: Tensor?, lastOutput: Tensor?

    public init(inputFeatures: Int, outputFeatures: Int, activation: Activation = .none) throws {
        try require(inputFeatures > 0, "Dense inputFeatures must be positive, got \(inputFeatures)")
        try require(outputFeatures > 0, "Dense outputFeatures must be positive, got \(outputFeatures)")
        self.inputFeatures = inputFeatures; self.outputFeatures = outputFeatures
        self.activation = activation
        kernel = Parameter(name: "kernel", shape: [outputFeatures, inputFeatures], fanIn: inputFeatures,
                           fanOut: outputFeatures, initializer: activation == .relu ? .he : .glorot)
        bias = Parameter(name: "bias", shape: [outputFeatures], fanIn: inputFeatures, fanOut: outputFeatures, initializer: .constant(0))
    }

    public var parameters: [Parameter] { [kernel, bias] }
    public var multiplyAccumulates: Int { inputFeatures * outputFeatures }

    public func connect(to input: Shape) throws -> Shape {
        guard input.rank == 1, input[0] == inputFeatures else {
            throw EngineError.shapeMismatch("Dense expects \(inputFeatures) input features, got input of shape \(input)"
                                            + (input.rank > 1 ? " (add a Flatten layer before it)" : ""))
        }
        return [outputFeatures]
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        // input: (N, in) → output: (N, out)
        checkInput(input, [inputFeatures], "Dense")
        let n = input.shape.batch
        let y = output.tensor([n, outputFeatures])
        for s in 0..<n { (y.pointer + s * outputFeatures).update(from: bias.value.pointer, count: outputFeatures) }
        let x = input.pointer, w = kernel.value.pointer
        forEachColumnChunk(of: outputFeatures, batch: n) { o in
            sgemm(transposeA: false, transposeB: true, m: n, n: o.count, k: inputFeatures,
                  a: x, lda: inputFeatures, b: w + o.lowerBound * inputFeatures, ldb: inputFeatures,
                  beta: 1, c: y.pointer + o.lowerBound, ldc: outputFeatures)
        }
        if activation == .relu { reluForward(y.pointer, y.pointer, count: y.count) }
        lastInput = input
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let x = lastInput, let y = lastOutput else { preconditionFailure("Dense.backward before forward") }
        precondition(outputGradient.shape == y.shape, "Dense.backward: gradient \(outputGradient.shape) ≠ output \(y.shape)")
        let n = x.shape.batch
        var dy = outputGradient
        if activation == .relu {
            dy = maskedGradient.tensor(y.shape)
            reluBackward(dy.pointer, outputGradient.pointer, y.pointer, count: y.count)
        }
        for s in 0..<n { axpy(bias.gradient.pointer, 1, dy.pointer + s * outputFeatures, count: outputFeatures) }
        // dW (out × in) += dyᵀ · x, rows o of dW from columns o of dy
        let g = dy.pointer, dW = kernel.gradient.pointer, w = kernel.value.pointer
        forEachColumnChunk(of: outputFeatures, batch: n) { o in
            sgemm(transposeA: true, transposeB: false, m: o.count, n: inputFeatures, k: n,
                  a: g + o.lowerBound, lda: outputFeatures, b: x.pointer, ldb: inputFeatures,
                  beta: 1, c: dW + o.lowerBound * inputFeatures, ldc: inputFeatures)
        }
        let dx = inputGradient.tensor([n, inputFeatures])
        guard needsInputGradient else { return dx }
        // dx (N × in) = dy · W, columns i of dx from columns i of W
        forEachColumnChunk(of: inputFeatures, batch: n) { i in
            sgemm(transposeA: false, transposeB: false, m: n, n: i.count, k: outputFeatures,
                  a: g, lda: outputFeatures, b: w + i.lowerBound, ldb: inputFeatures,
                  beta: 0, c: dx.pointer + i.lowerBound, ldc: inputFeatures)
        }
        return dx
    }

    /// Calls `body` for contiguous parts of `0..<count` columns, one per worker where a GEMM of
    /// this layer on `batch` samples has at least `multiplyAccumulatesWorthSplitting`, else once.
    private func forEachColumnChunk(of count: Int, batch: Int, _ body: (Range<Int>) -> Void) {
        let worthSplitting = batch * inputFeatures * outputFeatures >= Self.multiplyAccumulatesWorthSplitting
        forEachChunk(of: count, if: worthSplitting) { part, _ in body(part) }
    }

    /// The smallest GEMM split across the workers: about 50 µs on one core, well above the cost
    /// of waking the others (the reference network's 4096 → 128 layer on 32 images is 16.8 M).
    static let multiplyAccumulatesWorthSplitting = 1 << 22
}
