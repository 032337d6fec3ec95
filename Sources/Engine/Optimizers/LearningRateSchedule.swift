#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How the learning rate changes over training, as a function of fractional epoch progress.
public enum LearningRateDecay: Sendable, Equatable, Codable {
    /// The base rate throughout.
    case constant
    /// Multiply by `factor` every `every` epochs.
    case step(every: Int, factor: Float)
    /// Cosine annealing from the base rate to `minimum` over the run (after warm-up).
    case cosine(minimum: Float)
}

extension LearningRateDecay: CustomStringConvertible {
    /// How the rate moves, as a report says it: "constant learning rate", "cosine schedule", …
    public var description: String {
        switch self {
        case .constant: "constant learning rate"
        case .step(let every, let factor): "learning rate × \(factor) every \(every) epochs"
        case .cosine(let minimum): minimum == 0 ? "cosine schedule" : "cosine schedule down to \(minimum)"
        }
    }
}

/// A decay with an optional linear warm-up from 0 over the first `warmupEpochs`.
public struct LearningRateSchedule: Sendable, Equatable, Codable {
    public var decay: LearningRateDecay
    public var warmupEpochs: Double

    public init(_ decay: LearningRateDecay = .constant, warmupEpochs: Double = 0) {
        self.decay = decay; self.warmupEpochs = warmupEpochs
    }

    /// Checks ranges; messages name the setting.
    public func validate() throws {
        try require(warmupEpochs >= 0, "warm-up epochs must be ≥ 0, got \(warmupEpochs)")
        switch decay {
        case .constant: break
        case .step(let every, let factor):
            try require(every > 0, "step schedule: every must be a positive number of epochs, got \(every)")
            try require(factor > 0 && factor <= 1, "step schedule: factor must be in (0, 1], got \(factor)")
        case .cosine(let minimum):
            try require(minimum >= 0, "cosine schedule: minimum must be ≥ 0, got \(minimum)")
        }
    }

    /// The rate for the step that ends at fractional epoch `epoch` (so the first step of a
    /// warm-up gets a small positive rate) of a `totalEpochs` run.
    public func rate(base: Float, epoch: Double, totalEpochs: Int) -> Float {
        if warmupEpochs > 0 && epoch < warmupEpochs { return base * Float(epoch / warmupEpochs) }
        switch decay {
        case .constant:
            return base
        case .step(let every, let factor):
            return base * powf(factor, Float(Int(epoch) / every))
        case .cosine(let minimum):
            let span = max(Double(totalEpochs) - warmupEpochs, 1e-9)
            let progress = min(max((epoch - warmupEpochs) / span, 0), 1)
            return minimum + (base - minimum) * Float(0.5 * (1 + cos(Double.pi * progress)))
        }
    }
}
