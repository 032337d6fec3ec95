/// An activation fused into the epilogue of a convolution or dense layer.
public enum Activation: String, Sendable {
    case none, relu
}
