/// Per-image standardisation: each sample's values shifted to mean 0 and scaled to standard
/// deviation 1 over all its channels and pixels, `y = (x − μ) / sqrt(σ² + ε)` (σ² biased), as
/// TensorFlow's `per_image_standardization` does. What a team puts in front of a network whose
/// images come brighter or darker, flatter or harsher from one day to the next: a global change
/// of brightness or contrast no longer reaches the first convolution. No parameters.
public final class PerImageStandardization: Layer {
    public let kind = "perimagestandardization"
    public let epsilon: Float
    public var needsInputGradient = true
    private var inputShape = Shape([])
    private var output = Workspace(), inputGradient = Workspace()
    /// Per sample of the last forward pass, 1 / sqrt(σ² + ε).
    private var inverseStd: [Float] = []

    /// - Parameter epsilon: added to the variance; 1e-4 keeps a flat image (σ² = 0) at 0 rather than dividing by 0.
    /// - Throws: `EngineError.invalidOption` for a non-positive epsilon.
    public init(epsilon: Float = 1e-4) throws {
        try require(epsilon > 0, "PerImageStandardization epsilon must be positive, got \(epsilon)")
        self.epsilon = epsilon
    }

    public func connect(to input: Shape) throws -> Shape {
        guard input.rank >= 1, input.count > 1 else {
            throw EngineError.shapeMismatch("PerImageStandardization expects samples of more than one value, got \(input)")
        }
        inputShape = input
        return input
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        checkInput(input, inputShape, "PerImageStandardization")
        let n = input.shape.batch, size = inputShape.count
        let y = output.tensor(input.shape)
        inverseStd = [Float](repeating: 0, count: n)
        for s in 0..<n {
            let x = input.pointer + s * size, out = y.pointer + s * size
            let mean = sum(x, count: size) / Float(size)
            var squares: Float = 0
            for i in 0..<size { squares += (x[i] - mean) * (x[i] - mean) }
            let inv = 1 / (squares / Float(size) + epsilon).squareRoot()
            inverseStd[s] = inv
            for i in 0..<size { out[i] = (x[i] - mean) * inv }
        }
        return y
    }

    /// `∂x = (1/σ) (∂y − mean(∂y) − y · mean(∂y · y))` per sample, from the output kept by forward.
    public func backward(_ outputGradient: Tensor) -> Tensor {
        let n = outputGradient.shape.batch, size = inputShape.count
        let dx = inputGradient.tensor(inputShape.batched(n))
        guard needsInputGradient else { return dx }
        let y = output.tensor(inputShape.batched(n))
        for s in 0..<n {
            let dy = outputGradient.pointer + s * size, ys = y.pointer + s * size, out = dx.pointer + s * size
            var meanGradient: Float = 0, meanProduct: Float = 0
            for i in 0..<size { meanGradient += dy[i]; meanProduct += dy[i] * ys[i] }
            meanGradient /= Float(size); meanProduct /= Float(size)
            for i in 0..<size { out[i] = inverseStd[s] * (dy[i] - meanGradient - ys[i] * meanProduct) }
        }
        return dx
    }
}
