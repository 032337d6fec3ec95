import CConvolution

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
        let mu = momentum, decay = weightDecay, lr = learningRate, nesterov: Int32 = nesterov ? 1 : 0
        // Element by element (`fw_sgd_step`, C for the widest vectors the CPU has), so splitting
        // the parameters across the workers changes no result.
        forEachChunk(of: arena.count, if: arena.count >= Self.parametersWorthSplitting) { part, _ in
            let start = part.lowerBound
            fw_sgd_step(w + start, dw + start, mu == 0 ? nil : v + start, part.count, lr, mu, decay, nesterov)
        }
    }

    /// The fewest parameters the step splits across the engine's workers (a megabyte per stream;
    /// fewer update in well under a millisecond on one thread).
    static let parametersWorthSplitting = 1 << 18
}
