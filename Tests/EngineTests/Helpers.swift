@testable import Engine

/// Largest |a − b| over paired elements, relative to the largest magnitude in either array:
/// the right yardstick for sums whose terms cancel, where single elements can be near zero.
func maxScaledDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count)
    let scale = max(a.map(abs).max() ?? 0, b.map(abs).max() ?? 0, .leastNormalMagnitude)
    return (zip(a, b).map { abs($0 - $1) }.max() ?? 0) / scale
}

/// ‖a − b‖ / (‖a‖ + ‖b‖), the usual gradient-check error (0 when both vanish).
func normRelativeError(_ a: [Double], _ b: [Double]) -> Double {
    let diff = zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
    let scale = a.reduce(0) { $0 + $1 * $1 }.squareRoot() + b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return scale > 0 ? diff / scale : 0
}

/// Result of a finite-difference check: the worst error over the input and every parameter.
struct GradientCheck {
    var errors: [String: Double] = [:]
    var worst: Double { errors.values.max() ?? 0 }
}

/// Compares a layer's analytic gradients with central differences of
/// L = Σ forward(x) ⊙ R for a fixed random R, over up to `samples` coordinates per tensor.
/// `reset` runs before every forward pass (to replay dropout masks, say).
func checkGradients(of layer: Layer, input inputShape: Shape, batch: Int = 2, mode: Mode = .training,
                    epsilon: Float = 1e-2, samples: Int = 40, seed: UInt64 = 7,
                    reset: () -> Void = {}) throws -> GradientCheck {
    let outputShape = try layer.connect(to: inputShape)
    var generator = SplitMix64(seed: seed)
    layer.initialize(using: &generator)
    // Give every parameter a non-trivial value (batch norm starts at 1 and 0, biases at 0).
    for p in layer.parameters { for i in 0..<p.value.count { p.value[flat: i] += 0.3 * generator.nextNormal() } }
    let x = randomTensor(inputShape.batched(batch), seed: seed &+ 1)
    let r = randomTensor(outputShape.batched(batch), seed: seed &+ 2)

    func objective() -> Double {
        reset()
        let y = layer.forward(x, mode: mode)
        var total = 0.0
        for i in 0..<y.count { total += Double(y[flat: i]) * Double(r[flat: i]) }
        return total
    }

    for p in layer.parameters { p.gradient.zero() }
    reset()
    _ = layer.forward(x, mode: mode)
    let dx = layer.backward(r).copied()

    var check = GradientCheck()
    func compare(_ name: String, _ values: Tensor, _ analytic: Tensor) {
        var pick = SplitMix64(seed: seed &+ 3)
        let indices = values.count <= samples ? Array(0..<values.count) : (0..<samples).map { _ in pick.nextIndex(below: values.count) }
        var numeric: [Double] = [], exact: [Double] = []
        for i in indices {
            let saved = values[flat: i]
            values[flat: i] = saved + epsilon; let plus = objective()
            values[flat: i] = saved - epsilon; let minus = objective()
            values[flat: i] = saved
            numeric.append((plus - minus) / (2 * Double(epsilon)))
            exact.append(Double(analytic[flat: i]))
        }
        check.errors[name] = normRelativeError(numeric, exact)
    }
    if layer.needsInputGradient { compare("input", x, dx) }
    for p in layer.parameters { compare(p.name, p.value, p.gradient.copied()) }
    return check
}
