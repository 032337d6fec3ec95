/// 2-D convolution: `y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i·s + u − p, j·s + v − p]`,
/// optionally followed by a fused ReLU.
///
/// Layout: input (N, C_in, H, W), kernel (C_out, C_in, k, k), output (N, C_out, H_out, W_out).
/// The whole batch is unfolded by `im2col` into one (C_in·k·k) × (N·H_out·W_out) matrix and
/// convolved with one `sgemm`; the bias and activation are applied while the GEMM result is
/// moved into NCHW order. Initialisation: He normal kernel, zero bias.
public final class Conv2D: Layer {
    public let kind = "conv2d"
    public let inputChannels, outputChannels, kernelSize, stride, padding: Int
    public let activation: Activation
    public let kernel: Parameter
    public let bias: Parameter?
    public var needsInputGradient = true

    private var geometry: ConvolutionGeometry?
    private var columns = Workspace(), product = Workspace(), output = Workspace(), inputGradient = Workspace()
    private var lastOutput: Tensor?

    /// - Throws: `EngineError.invalidOption` for a non-positive channel count, kernel size or
    ///   stride, or a negative padding.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, activation: Activation = .none) throws {
        try require(inputChannels > 0, "Conv2D inputChannels must be positive, got \(inputChannels)")
        try require(outputChannels > 0, "Conv2D outputChannels must be positive, got \(outputChannels)")
        try require(kernelSize > 0, "Conv2D kernelSize must be positive, got \(kernelSize)")
        try require(stride > 0, "Conv2D stride must be positive, got \(stride)")
        try require(padding >= 0, "Conv2D padding must be zero or positive, got \(padding)")
        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        self.activation = activation
        let fanIn = inputChannels * kernelSize * kernelSize
        kernel = Parameter(name: "kernel", shape: [outputChannels, inputChannels, kernelSize, kernelSize],
                           fanIn: fanIn, fanOut: outputChannels * kernelSize * kernelSize, initializer: .he)
        self.bias = bias ? Parameter(name: "bias", shape: [outputChannels], fanIn: fanIn, fanOut: outputChannels, initializer: .constant(0)) : nil
    }

    public var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }

    public func connect(to input: Shape) throws -> Shape {
        guard input.rank == 3, input[0] == inputChannels else {
            throw EngineError.shapeMismatch("Conv2D expects input (\(inputChannels), H, W), got \(input)")
        }
        let g = ConvolutionGeometry(channels: inputChannels, height: input[1], width: input[2],
                                    kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
        guard input[1] + 2 * padding >= kernelSize, input[2] + 2 * padding >= kernelSize else {
            throw EngineError.shapeMismatch("Conv2D kernel \(kernelSize)×\(kernelSize) does not fit input \(input) with padding \(padding)")
        }
        geometry = g
        return [outputChannels, g.outputHeight, g.outputWidth]
    }

    public var multiplyAccumulates: Int {
        guard let g = geometry else { return 0 }
        return g.outputPlane * outputChannels * g.patchSize
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        // input: (N, Cin, H, W) → output: (N, Cout, Ho, Wo)
        guard let g = geometry else { preconditionFailure("Conv2D used before connect(to:)") }
        checkInput(input, [inputChannels, g.height, g.width], "Conv2D")
        let n = input.shape.batch, plane = g.outputPlane, width = n * plane
        let cols = columns.tensor([g.patchSize, width])
        im2col(cols.pointer, input.pointer, g, batch: n)
        let gemm = product.tensor([outputChannels, width])
        sgemm(transposeA: false, transposeB: false, m: outputChannels, n: width, k: g.patchSize,
              a: kernel.value.pointer, lda: g.patchSize, b: cols.pointer, ldb: width,
              beta: 0, c: gemm.pointer, ldc: width)
        let y = output.tensor([n, outputChannels, g.outputHeight, g.outputWidth])
        let relu = activation == .relu
        for o in 0..<outputChannels {
            let b = bias?.value[flat: o] ?? 0
            for s in 0..<n {
                addBias(y.pointer + (s * outputChannels + o) * plane, gemm.pointer + o * width + s * plane, b, count: plane, relu: relu)
            }
        }
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let g = geometry, let y = lastOutput else { preconditionFailure("Conv2D.backward before forward") }
        precondition(outputGradient.shape == y.shape, "Conv2D.backward: gradient \(outputGradient.shape) ≠ output \(y.shape)")
        let n = y.shape.batch, plane = g.outputPlane, width = n * plane
        // dG (Cout × N·P): the output gradient in GEMM order, masked by the fused ReLU.
        let dG = product.tensor([outputChannels, width])
        let relu = activation == .relu
        for o in 0..<outputChannels {
            for s in 0..<n {
                let offset = (s * outputChannels + o) * plane
                maskedCopy(dG.pointer + o * width + s * plane, outputGradient.pointer + offset, y.pointer + offset, count: plane, relu: relu)
            }
            if let bias { bias.gradient[flat: o] += sum(dG.pointer + o * width, count: width) }
        }
        let cols = columns.tensor([g.patchSize, width])
        // dW (Cout × K) += dG · colsᵀ
        sgemm(transposeA: false, transposeB: true, m: outputChannels, n: g.patchSize, k: width,
              a: dG.pointer, lda: width, b: cols.pointer, ldb: width,
              beta: 1, c: kernel.gradient.pointer, ldc: g.patchSize)
        let dx = inputGradient.tensor([n, inputChannels, g.height, g.width])
        guard needsInputGradient else { return dx }
        // dCols (K × N·P) = Wᵀ · dG, written over the columns (no longer needed), then folded back.
        sgemm(transposeA: true, transposeB: false, m: g.patchSize, n: width, k: outputChannels,
              a: kernel.value.pointer, lda: g.patchSize, b: dG.pointer, ldb: width,
              beta: 0, c: cols.pointer, ldc: width)
        col2im(dx.pointer, cols.pointer, g, batch: n)
        return dx
    }
}
