/// Fully connected layer: `y[n, o] = b[o] + Σ_i w[o, i] · x[n, i]`, optionally with a fused ReLU.
///
/// Layout: input (N, inputFeatures), kernel (outputFeatures, inputFeatures) as in PyTorch,
/// output (N, outputFeatures). Initialisation: He normal when followed by ReLU, Glorot uniform
/// otherwise; zero bias.
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
        sgemm(transposeA: false, transposeB: true, m: n, n: outputFeatures, k: inputFeatures,
              a: input.pointer, lda: inputFeatures, b: kernel.value.pointer, ldb: inputFeatures,
              beta: 1, c: y.pointer, ldc: outputFeatures)
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
        // dW (out × in) += dyᵀ · x
        sgemm(transposeA: true, transposeB: false, m: outputFeatures, n: inputFeatures, k: n,
              a: dy.pointer, lda: outputFeatures, b: x.pointer, ldb: inputFeatures,
              beta: 1, c: kernel.gradient.pointer, ldc: inputFeatures)
        let dx = inputGradient.tensor([n, inputFeatures])
        guard needsInputGradient else { return dx }
        // dx (N × in) = dy · W
        sgemm(transposeA: false, transposeB: false, m: n, n: inputFeatures, k: outputFeatures,
              a: dy.pointer, lda: outputFeatures, b: kernel.value.pointer, ldb: inputFeatures,
              beta: 0, c: dx.pointer, ldc: inputFeatures)
        return dx
    }
}
