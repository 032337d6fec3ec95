/// Updates a model's parameters from their gradients. Every optimizer works on the flat
/// `ParameterArena`, so one vectorisable loop updates the whole model.
public protocol Optimizer: AnyObject {
    /// Applies one update with learning rate `learningRate` to `arena.values` from `arena.gradients`.
    func step(_ arena: ParameterArena, learningRate: Float)
}

/// The optimizers a training configuration can name.
public enum OptimizerKind: String, Sendable, CaseIterable, Codable {
    case sgd, adam, adamw
}

/// Settings shared by the optimizers; each reads the ones it uses.
public struct OptimizerSettings: Sendable, Equatable, Codable {
    public var kind: OptimizerKind = .sgd
    /// SGD momentum μ (0 disables momentum).
    public var momentum: Float = 0.9
    /// Nesterov momentum for SGD.
    public var nesterov = false
    /// L2 penalty added to the gradient (SGD, Adam) or decoupled decay (AdamW).
    public var weightDecay: Float = 0
    /// Adam's β₁, β₂ and ε.
    public var beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8

    public init(kind: OptimizerKind = .sgd, momentum: Float = 0.9, nesterov: Bool = false, weightDecay: Float = 0) {
        self.kind = kind; self.momentum = momentum; self.nesterov = nesterov; self.weightDecay = weightDecay
    }

    /// Checks ranges; the message names the setting and its allowed range.
    public func validate() throws {
        try require(momentum >= 0 && momentum < 1, "momentum must be in [0, 1), got \(momentum)")
        try require(weightDecay >= 0 && weightDecay.isFinite, "weight decay must be ≥ 0, got \(weightDecay)")
        try require(beta1 >= 0 && beta1 < 1, "beta1 must be in [0, 1), got \(beta1)")
        try require(beta2 >= 0 && beta2 < 1, "beta2 must be in [0, 1), got \(beta2)")
        try require(epsilon > 0, "epsilon must be positive, got \(epsilon)")
        try require(!nesterov || (kind == .sgd && momentum > 0), "nesterov needs the sgd optimizer with momentum > 0")
    }

    /// A fresh optimizer of `kind` for a model with `parameterCount` parameters.
    public func makeOptimizer(parameterCount: Int) throws -> Optimizer {
        try validate()
        switch kind {
        case .sgd: return SGD(parameterCount: parameterCount, momentum: momentum, nesterov: nesterov, weightDecay: weightDecay)
        case .adam, .adamw:
            return Adam(parameterCount: parameterCount, beta1: beta1, beta2: beta2, epsilon: epsilon,
                        weightDecay: weightDecay, decoupled: kind == .adamw)
        }
    }
}
