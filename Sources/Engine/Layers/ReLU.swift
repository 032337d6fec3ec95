/// Rectified linear unit, `y = max(x, 0)`, any shape. Backward masks by the cached output.
public final class ReLU: Layer {
    public let kind = "relu"
    public var needsInputGradient = true
    private var inputShape = Shape([])
    private var output = Workspace(), inputGradient = Workspace()
    private var lastOutput: Tensor?

    public init() {}

    public func connect(to input: Shape) throws -> Shape { inputShape = input; return input }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        checkInput(input, inputShape, "ReLU")
        let y = output.tensor(input.shape)
        forEachElementRange(of: input.count) { r in reluForward(y.pointer + r.lowerBound, input.pointer + r.lowerBound, count: r.count) }
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let y = lastOutput else { preconditionFailure("ReLU.backward before forward") }
        precondition(outputGradient.shape == y.shape, "ReLU.backward: gradient \(outputGradient.shape) ≠ output \(y.shape)")
        let dx = inputGradient.tensor(y.shape)
        forEachElementRange(of: y.count) { r in
            reluBackward(dx.pointer + r.lowerBound, outputGradient.pointer + r.lowerBound, y.pointer + r.lowerBound, count: r.count)
        }
        return dx
    }
}
