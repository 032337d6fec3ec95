/// 2-D convolution: `y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i·s + u − p, j·s + v − p]`,
/// optionally followed by a fused ReLU.
///
/// Layout: input (N, C_in, H, W), kernel (C_out, C_in, k, k), output (N, C_out, H_out, W_out).
/// Each image is unfolded by `im2col` into a (C_in·k·k) × (H_out·W_out) matrix and convolved with
/// one `sgemm` that writes straight into the NCHW output; bias and activation follow in place.
/// Working image by image keeps the column matrix in cache (measured 1.3–2× faster GEMMs than
/// one batch-wide GEMM on the reference network), and backward unfolds each image again instead
/// of keeping the whole batch's columns. Initialisation: He normal kernel, zero bias.
public final class Conv2D: Layer {
    public let kind = "conv2d"
    public let inputChannels, outputChannels, kernelSize, stride, padding: Int
    public let activation: Activation
    public let kernel: Parameter
    public let bias: Parameter?
    public var needsInputGradient = true

    private var geometry: ConvolutionGeometry?
    private var columns = Workspace(), product = Workspace(), output = Workspace(), inputGradient = Workspace()
    private var lastInput: Tensor?, lastOutput: Tensor?

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
        let n = input.shape.batch, plane = g.outputPlane
        let cols = columns.tensor([g.patchSize, plane])
        let y = output.tensor([n, outputChannels, g.outputHeight, g.outputWidth])
        let relu = activation == .relu
        for s in 0..<n {
            im2col(cols.pointer, input.pointer + s * inputChannels * g.height * g.width, g, batch: 1)
            let out = y.pointer + s * outputChannels * plane
            sgemm(transposeA: false, transposeB: false, m: outputChannels, n: plane, k: g.patchSize,
                  a: kernel.value.pointer, lda: g.patchSize, b: cols.pointer, ldb: plane, beta: 0, c: out, ldc: plane)
            for o in 0..<outputChannels {
                addBias(out + o * plane, out + o * plane, bias?.value[flat: o] ?? 0, count: plane, relu: relu)
            }
        }
        lastInput = input
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let g = geometry, let x = lastInput, let y = lastOutput else { preconditionFailure("Conv2D.backward before forward") }
        precondition(outputGradient.shape == y.shape, "Conv2D.backward: gradient \(outputGradient.shape) ≠ output \(y.shape)")
        let n = y.shape.batch, plane = g.outputPlane, imageSize = inputChannels * g.height * g.width
        let cols = columns.tensor([g.patchSize, plane])
        let dG = product.tensor([outputChannels, plane])
        let dx = inputGradient.tensor([n, inputChannels, g.height, g.width])
        let relu = activation == .relu
        for s in 0..<n {
            let offset = s * outputChannels * plane
            // dG (Cout × P): this image's output gradient, masked by the fused ReLU.
            maskedCopy(dG.pointer, outputGradient.pointer + offset, y.pointer + offset, count: outputChannels * plane, relu: relu)
            if let bias {
                for o in 0..<outputChannels { bias.gradient[flat: o] += sum(dG.pointer + o * plane, count: plane) }
            }
            // dW (Cout × K) += dG · colsᵀ, with the columns unfolded again.
            im2col(cols.pointer, x.pointer + s * imageSize, g, batch: 1)
            sgemm(transposeA: false, transposeB: true, m: outputChannels, n: g.patchSize, k: plane,
                  a: dG.pointer, lda: plane, b: cols.pointer, ldb: plane, beta: 1, c: kernel.gradient.pointer, ldc: g.patchSize)
            guard needsInputGradient else { continue }
            // dCols (K × P) = Wᵀ · dG, folded back onto the image.
            sgemm(transposeA: true, transposeB: false, m: g.patchSize, n: plane, k: outputChannels,
                  a: kernel.value.pointer, lda: g.patchSize, b: dG.pointer, ldb: plane, beta: 0, c: cols.pointer, ldc: plane)
            col2im(dx.pointer + s * imageSize, cols.pointer, g, batch: 1)
        }
        return dx
    }
}
