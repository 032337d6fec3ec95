/// A chain of layers with its parameters packed into one arena and one set of scratch buffers
/// (`SharedScratch`): the model type of the engine.
public final class Sequential {
    /// Per-sample input shape (C, H, W).
    public let inputShape: Shape
    /// Per-sample output shape (classes, for a classifier).
    public let outputShape: Shape
    public let layers: [Layer]
    /// Every trainable parameter, in one flat buffer.
    public let arena: ParameterArena

    /// Connects `layers` in order, starting from `inputShape`.
    /// - Throws: `EngineError.shapeMismatch` naming the first layer (by index and kind) whose
    ///   input does not fit.
    public init(inputShape: Shape, layers: [Layer]) throws {
        var shape = inputShape
        for (index, layer) in layers.enumerated() {
            do { shape = try layer.connect(to: shape) } catch let EngineError.shapeMismatch(message) {
                throw EngineError.shapeMismatch("layer \(index) (\(layer.kind)): \(message)")
            }
        }
        self.inputShape = inputShape
        outputShape = shape
        self.layers = layers
        arena = ParameterArena(layers.flatMap(\.parameters))
        layers.first?.needsInputGradient = false
        let scratch = SharedScratch()
        for layer in layers { layer.shareScratch(scratch) }
    }

    /// Stable layer names for weight files: "00_conv2d", "01_maxpool2d", …
    public var layerNames: [String] {
        layers.enumerated().map { index, layer in (index < 10 ? "0" : "") + "\(index)_\(layer.kind)" }
    }

    /// Multiply–accumulates of one sample's forward pass (convolutions and dense layers).
    public var multiplyAccumulates: Int { layers.reduce(0) { $0 + $1.multiplyAccumulates } }

    /// Training FLOPs per sample by the usual convention: 3 × forward, forward = 2 × MACs.
    public var trainingFLOPsPerSample: Int { 6 * multiplyAccumulates }
    /// FLOPs of one forward pass on one sample (2 per multiply-accumulate): what the model costs
    /// to run, the measure of a model's size when choosing among equally good ones.
    public var inferenceFLOPsPerSample: Int { 2 * multiplyAccumulates }
    /// FLOPs one sample's training step executes on this machine's kernels (`ExecutedFLOPs`):
    /// fewer than `trainingFLOPsPerSample` where Winograd runs, and where the first layer skips
    /// its input gradient.
    public var executedTrainingFLOPsPerSample: Int { layers.reduce(0) { $0 + $1.executedFLOPs(.training) } }
    /// FLOPs one sample's forward pass executes in inference on this machine's kernels.
    public var executedInferenceFLOPsPerSample: Int { layers.reduce(0) { $0 + $1.executedFLOPs(.inference) } }

    /// Draws every initial value from a generator seeded with `seed`: the same seed always
    /// gives the same weights.
    public func initialize(seed: UInt64) {
        var generator = SplitMix64(seed: seed)
        for layer in layers { layer.initialize(using: &generator) }
    }

    /// Runs the batch `input` (N, C, H, W) through every layer; returns (N, outputs).
    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        precondition(input.shape.sample == inputShape,
                     "Model expects input samples of shape \(inputShape), got batch of shape \(input.shape)")
        var x = input
        for layer in layers { x = layer.forward(x, mode: mode) }
        return x
    }

    /// Back-propagates ∂loss/∂output through every layer, accumulating parameter gradients.
    public func backward(_ outputGradient: Tensor) {
        var g = outputGradient
        for layer in layers.reversed() { g = layer.backward(g) }
    }

    /// Every saved tensor, layer by layer: parameters and buffers (running statistics).
    public var namedTensors: [(layer: String, kind: String, name: String, tensor: Tensor)] {
        zip(layerNames, layers).flatMap { layerName, layer in
            layer.parameters.map { (layerName, layer.kind, $0.name, $0.value) }
                + layer.buffers.map { (layerName, layer.kind, $0.name, $0.tensor) }
        }
    }

    /// A copy of every parameter and buffer (to restore the best epoch, say).
    public func snapshot() -> [Tensor] { namedTensors.map { $0.tensor.copied() } }

    /// Puts back values taken by `snapshot()`.
    public func restore(_ snapshot: [Tensor]) {
        let targets = namedTensors
        precondition(targets.count == snapshot.count, "Snapshot holds \(snapshot.count) tensors; the model has \(targets.count)")
        for (target, saved) in zip(targets, snapshot) { target.tensor.copy(from: saved) }
    }
}
