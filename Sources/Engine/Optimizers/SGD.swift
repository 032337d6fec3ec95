/// Stochastic gradient descent with momentum, Nesterov and L2 weight decay, in PyTorch's
/// convention: `g ← ∇ + λw;  v ← μv + g;  w ← w − η·(nesterov ? g + μv : v)`.
public final class SGD: Optimizer {
    public let momentum: Float, nesterov: Bool, weightDecay: Float
    private let velocity: Tensor

    public init(parameterCount: Int, momentum: Float = 0, nesterov: Bool = false, weightDecay: Float = 0) {
        self.momentum = momentum; self.nesterov = nesterov; self.weightDecay = weightDecay
        velocity = Tensor(zeros: [momentum > 0 ? parameterCount : 0])
    }

    public func step(_ arena: ParameterArena, learningRate: Float) {
        let w = arena.values.pointer, dw = arena.gradients.pointer, v = velocity.pointer
        let n = arena.count, mu = momentum, decay = weightDecay, lr = learningRate
        if mu == 0 {
            for i in 0..<n { w[i] -= lr * (dw[i] + decay * w[i]) }
        } else if nesterov {
            for i in 0..<n { let g = dw[i] + decay * w[i]; let vi = mu * v[i] + g; v[i] = vi; w[i] -= lr * (g + mu * vi) }
        } else {
            for i in 0..<n { let vi = mu * v[i] + dw[i] + decay * w[i]; v[i] = vi; w[i] -= lr * vi }
        }
    }
}
