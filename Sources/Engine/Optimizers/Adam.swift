#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Adam (Kingma & Ba 2015) with bias correction; with `decoupled` it is AdamW (Loshchilov &
/// Hutter 2019), which decays weights directly (`w ← w − ηλw`) instead of adding λw to the
/// gradient:
///   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  w ← w − η · m̂ / (√v̂ + ε).
public final class Adam: Optimizer {
    public let beta1: Float, beta2: Float, epsilon: Float, weightDecay: Float
    public let decoupled: Bool
    private let firstMoment: Tensor, secondMoment: Tensor
    private var stepCount = 0

    public init(parameterCount: Int, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, decoupled: Bool = false) {
        self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon
        self.weightDecay = weightDecay; self.decoupled = decoupled
        firstMoment = Tensor(zeros: [parameterCount])
        secondMoment = Tensor(zeros: [parameterCount])
    }

    public func step(_ arena: ParameterArena, learningRate: Float) {
        stepCount += 1
        let w = arena.values.pointer, dw = arena.gradients.pointer
        let m = firstMoment.pointer, v = secondMoment.pointer
        let b1 = beta1, b2 = beta2, eps = epsilon, n = arena.count
        let correction1 = 1 - Float(pow(Double(b1), Double(stepCount)))
        let correction2 = 1 - Float(pow(Double(b2), Double(stepCount)))
        let stepSize = learningRate / correction1, rootCorrection2 = correction2.squareRoot()
        let l2 = decoupled ? 0 : weightDecay, shrink = decoupled ? 1 - learningRate * weightDecay : 1
        // Eight lanes at a time with SIMD8 (a plain loop stayed scalar here: sqrt and divide).
        var i = 0
        while i + 8 <= n {
            let wi = load8(w + i), g = load8(dw + i) + l2 * wi
            let mi = b1 * load8(m + i) + (1 - b1) * g, vi = b2 * load8(v + i) + (1 - b2) * g * g
            store8(mi, m + i); store8(vi, v + i)
            store8(wi * shrink - stepSize * mi / (vi.squareRoot() / rootCorrection2 + eps), w + i)
            i += 8
        }
        while i < n {
            let g = dw[i] + l2 * w[i]
            let mi = b1 * m[i] + (1 - b1) * g, vi = b2 * v[i] + (1 - b2) * g * g
            m[i] = mi; v[i] = vi
            w[i] = w[i] * shrink - stepSize * mi / (vi.squareRoot() / rootCorrection2 + eps)
            i += 1
        }
    }
}

@inline(__always)
private func load8(_ p: UnsafeMutablePointer<Float>) -> SIMD8<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self) }

@inline(__always)
private func store8(_ value: SIMD8<Float>, _ p: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(p).storeBytes(of: value, as: SIMD8<Float>.self)
}
