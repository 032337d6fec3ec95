/// A trainable tensor and its gradient. After a model is built, both live inside the model's
/// flat `ParameterArena`, so an optimizer updates every parameter in one loop.
public final class Parameter {
    /// Name within its layer ("kernel", "bias", "scale", "shift"; "conv1.kernel" inside a block).
    public internal(set) var name: String
    public internal(set) var value: Tensor
    public internal(set) var gradient: Tensor
    /// Fan-in and fan-out used by the initializer.
    let fanIn: Int, fanOut: Int
    let initializer: Initializer

    init(name: String, shape: Shape, fanIn: Int, fanOut: Int, initializer: Initializer) {
        self.name = name
        value = Tensor(zeros: shape)
        gradient = Tensor(zeros: shape)
        self.fanIn = fanIn
        self.fanOut = fanOut
        self.initializer = initializer
    }

    /// Draws the initial value.
    func initialize(using generator: inout SplitMix64) {
        initializer.fill(value, fanIn: fanIn, fanOut: fanOut, using: &generator)
    }
}

/// Every parameter of a model in two contiguous buffers, values and gradients, with each
/// `Parameter` a named view into them (llm.c's `malloc_and_point_parameters`).
public final class ParameterArena {
    public let parameters: [Parameter]
    /// All parameter values, concatenated in layer order.
    public let values: Tensor
    /// All gradients, in the same order.
    public let gradients: Tensor

    init(_ parameters: [Parameter]) {
        self.parameters = parameters
        let total = parameters.reduce(0) { $0 + $1.value.count }
        values = Tensor(zeros: [total])
        gradients = Tensor(zeros: [total])
        var offset = 0
        for p in parameters {
            let n = p.value.count
            let valueView = TensorStorage(viewOf: values.storage, offset: offset, count: n)
            valueView.pointer.update(from: p.value.pointer, count: n)
            p.value = Tensor(shape: p.value.shape, storage: valueView)
            p.gradient = Tensor(shape: p.gradient.shape, storage: TensorStorage(viewOf: gradients.storage, offset: offset, count: n))
            offset += n
        }
    }

    /// Total number of scalar parameters.
    public var count: Int { values.count }

    /// Clears every gradient (one memset).
    public func zeroGradients() { gradients.zero() }
}
