/// Inverted dropout: in training, each element is zeroed with probability `rate` and the
/// survivors scaled by 1 / (1 − rate); in inference it is the identity. The mask comes from
/// the layer's own generator, reseeded by `initialize(using:)`, so runs are reproducible.
public final class Dropout: Layer {
    public let kind = "dropout"
    public let rate: Float
    public var needsInputGradient = true
    private var inputShape = Shape([])
    private var generator = SplitMix64(seed: 0)
    private var output = Workspace(), mask = Workspace(), inputGradient = Workspace()
    private var maskActive = false

    /// - Throws: `EngineError.invalidOption` unless 0 ≤ rate < 1.
    public init(rate: Float) throws {
        try require(rate >= 0 && rate < 1, "Dropout rate must be in [0, 1), got \(rate)")
        self.rate = rate
    }

    public func connect(to input: Shape) throws -> Shape { inputShape = input; return input }

    public func initialize(using generator: inout SplitMix64) { self.generator = generator.split() }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        checkInput(input, inputShape, "Dropout")
        maskActive = mode == .training && rate > 0
        guard maskActive else { return input }
        let m = mask.tensor(input.shape), y = output.tensor(input.shape)
        let keep = 1 - rate, scale = 1 / keep
        for i in 0..<input.count { m[flat: i] = generator.nextUniform() < keep ? scale : 0 }
        for i in 0..<input.count { y[flat: i] = input[flat: i] * m[flat: i] }
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard maskActive else { return outputGradient }
        let m = mask.tensor(outputGradient.shape), dx = inputGradient.tensor(outputGradient.shape)
        for i in 0..<dx.count { dx[flat: i] = outputGradient[flat: i] * m[flat: i] }
        return dx
    }
}
