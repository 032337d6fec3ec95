/// Collapses every axis but the batch: (N, C, H, W) → (N, C·H·W). No copy: the output shares
/// the input's storage.
public final class Flatten: Layer {
    public let kind = "flatten"
    public var needsInputGradient = true
    private var inputShape = Shape([])

    public init() {}

    public func connect(to input: Shape) throws -> Shape { inputShape = input; return [input.count] }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        checkInput(input, inputShape, "Flatten")
        return input.reshaped([input.shape.batch, inputShape.count])
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        outputGradient.reshaped(inputShape.batched(outputGradient.shape.batch))
    }
}
