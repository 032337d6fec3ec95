/// Whether a forward pass trains (batch statistics, dropout on) or infers.
public enum Mode: Sendable {
    case training, inference
}

/// One differentiable stage of a network.
///
/// A model calls `connect(to:)` once, in order, with the per-sample input shape (C×H×W or
/// features); the layer validates it and fixes its geometry. Tensors passed to
/// `forward`/`backward` carry the batch as their first axis. `forward` caches what `backward`
/// needs; `backward` takes ∂loss/∂output, *accumulates* (`+=`) parameter gradients and returns
/// ∂loss/∂input. Returned tensors live in the layer's workspaces and stay valid until the
/// layer's next call.
public protocol Layer: AnyObject {
    /// The layer family as stored with its weights ("conv2d", "dense", "batchnorm2d", …).
    var kind: String { get }
    /// Trainable parameters, in a fixed order.
    var parameters: [Parameter] { get }
    /// Non-trainable state that is saved with the weights (batch-norm running statistics).
    var buffers: [(name: String, tensor: Tensor)] { get }
    /// When false, `backward` may skip computing ∂loss/∂input (the first layer of a model).
    var needsInputGradient: Bool { get set }

    /// Fixes the per-sample input shape and returns the per-sample output shape, or throws
    /// `EngineError.shapeMismatch` naming both what it got and what it expected.
    func connect(to input: Shape) throws -> Shape
    func forward(_ input: Tensor, mode: Mode) -> Tensor
    func backward(_ outputGradient: Tensor) -> Tensor
    /// Multiply–accumulates per sample in the forward pass (for FLOP accounting); valid after `connect`.
    var multiplyAccumulates: Int { get }
    /// Floating-point operations one sample's pass in `mode` executes, as the kernels that run it
    /// compute (`ExecutedFLOPs`); valid after `connect`.
    func executedFLOPs(_ mode: Mode) -> Int
    /// Draws initial parameter values and reseeds any layer-owned randomness.
    func initialize(using generator: inout SplitMix64)
    /// Takes its buffers that live only within one call from `scratch`, which the other layers of
    /// its model share (`SharedScratch`); layers without such buffers ignore it.
    func shareScratch(_ scratch: SharedScratch)
}

extension Layer {
    public var buffers: [(name: String, tensor: Tensor)] { [] }
    public var parameters: [Parameter] { [] }
    public var multiplyAccumulates: Int { 0 }
    /// Two FLOPs per multiply–accumulate forward; in training twice that again for the weight
    /// gradient and, where the layer computes it, the input gradient.
    public func executedFLOPs(_ mode: Mode) -> Int {
        ExecutedFLOPs.asMultiplied(multiplyAccumulates, mode, inputGradient: needsInputGradient)
    }
    public func initialize(using generator: inout SplitMix64) {
        for p in parameters { p.initialize(using: &generator) }
    }
    public func shareScratch(_ scratch: SharedScratch) {}
}

/// Precondition shared by layers: the batch tensor's sample shape is the one the layer was built for.
@inline(__always)
func checkInput(_ input: Tensor, _ expected: Shape, _ layer: String) {
    precondition(input.shape.sample == expected,
                 "\(layer): expected input samples of shape \(expected), got batch of shape \(input.shape)")
}
