/// A layer that is or holds batch-norm layers, so an operation on every batch norm of a model
/// (re-estimating their statistics on new images) finds them without knowing each kind of block.
public protocol HoldsBatchNorms {
    /// The batch-norm layers this layer is or holds, in order.
    var batchNorms: [BatchNorm2D] { get }
}

extension BatchNorm2D: HoldsBatchNorms {
    public var batchNorms: [BatchNorm2D] { [self] }
}

extension ResidualBlock: HoldsBatchNorms {}

extension Sequential {
    /// Every batch-norm layer of the model, in layer order (inside blocks too).
    public var batchNorms: [BatchNorm2D] { layers.flatMap { ($0 as? HoldsBatchNorms)?.batchNorms ?? [] } }
}
