/// Weight initialisation schemes, drawn from a seeded generator.
public enum Initializer: Sendable {
    /// He (Kaiming) normal: N(0, 2 / fanIn), for layers followed by ReLU.
    case he
    /// Glorot (Xavier) uniform: U(−a, a) with a = sqrt(6 / (fanIn + fanOut)), for linear outputs.
    case glorot
    /// Every element set to a constant (biases, batch-norm scale and shift).
    case constant(Float)

    /// Fills `tensor` in place.
    public func fill(_ tensor: Tensor, fanIn: Int, fanOut: Int, using generator: inout SplitMix64) {
        switch self {
        case .he:
            let std = (2 / Float(max(fanIn, 1))).squareRoot()
            for i in 0..<tensor.count { tensor[flat: i] = std * generator.nextNormal() }
        case .glorot:
            let bound = (6 / Float(max(fanIn + fanOut, 1))).squareRoot()
            for i in 0..<tensor.count { tensor[flat: i] = bound * (2 * generator.nextUniform() - 1) }
        case .constant(let value):
            tensor.pointer.update(repeating: value, count: tensor.count)
        }
    }
}
