/// Global average pooling: `y[n, c] = (1 / HW) Σ_{i, j} x[n, c, i, j]`, (N, C, H, W) → (N, C).
public final class GlobalAvgPool: Layer {
    public let kind = "globalavgpool"
    public var needsInputGradient = true
    private var inputShape = Shape([])
    private var output = Workspace(), inputGradient = Workspace()

    public init() {}

    public func connect(to input: Shape) throws -> Shape {
        guard input.rank == 3 else { throw EngineError.shapeMismatch("GlobalAvgPool expects input (C, H, W), got \(input)") }
        inputShape = input
        return [input[0]]
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        checkInput(input, inputShape, "GlobalAvgPool")
        let planes = input.shape.batch * inputShape[0], area = inputShape[1] * inputShape[2]
        let y = output.tensor([input.shape.batch, inputShape[0]])
        let scale = 1 / Float(area)
        for p in 0..<planes { y[flat: p] = scale * sum(input.pointer + p * area, count: area) }
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let n = outputGradient.shape.batch, area = inputShape[1] * inputShape[2]
        let dx = inputGradient.tensor(inputShape.batched(n))
        let scale = 1 / Float(area)
        for p in 0..<(n * inputShape[0]) {
            (dx.pointer + p * area).update(repeating: scale * outputGradient[flat: p], count: area)
        }
        return dx
    }
}
