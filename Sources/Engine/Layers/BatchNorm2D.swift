/// Batch normalisation over (N, H, W) per channel (Ioffe & Szegedy 2015):
/// `y = γ · (x − μ) / sqrt(σ² + ε) + β`, optionally followed by a fused ReLU.
///
/// Training uses the batch's mean and biased variance and updates the running statistics
/// (`running = (1 − momentum) · running + momentum · batch`, unbiased variance, as PyTorch);
/// inference uses the running statistics. Layout NCHW; γ starts at 1, β at 0. The normalised
/// input x̂ is not stored: backward recomputes it from the input with the same arithmetic, which
/// saves a pass over memory each way. Every per-element loop runs sixteen lanes at a time.
public final class BatchNorm2D: Layer {
    public let kind = "batchnorm2d"
    public let channels: Int
    public let momentum: Float, epsilon: Float
    public let activation: Activation
    public let scale: Parameter, shift: Parameter
    public let runningMean: Tensor, runningVariance: Tensor
    public var needsInputGradient = true
    private var inputShape = Shape([])
    private var output = Workspace(), inputGradient = Workspace()
    /// Per channel, the mean and 1/sqrt(σ² + ε) the last forward pass normalised with.
    private var usedMean: Tensor, inverseStd: Tensor
    private var lastInput: Tensor?, lastOutput: Tensor?
    private var lastMode = Mode.inference

    /// - Throws: `EngineError.invalidOption` for a non-positive channel count or epsilon, or a
    ///   momentum outside [0, 1].
    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5, activation: Activation = .none) throws {
        try require(channels > 0, "BatchNorm2D channels must be positive, got \(channels)")
        try require(momentum >= 0 && momentum <= 1, "BatchNorm2D momentum must be in [0, 1], got \(momentum)")
        try require(epsilon > 0, "BatchNorm2D epsilon must be positive, got \(epsilon)")
        self.channels = channels; self.momentum = momentum; self.epsilon = epsilon; self.activation = activation
        scale = Parameter(name: "scale", shape: [channels], fanIn: 1, fanOut: 1, initializer: .constant(1))
        shift = Parameter(name: "shift", shape: [channels], fanIn: 1, fanOut: 1, initializer: .constant(0))
        runningMean = Tensor(zeros: [channels])
        runningVariance = Tensor(zeros: [channels])
        usedMean = Tensor(zeros: [channels])
        inverseStd = Tensor(zeros: [channels])
        runningVariance.pointer.update(repeating: 1, count: channels)
    }

    public var parameters: [Parameter] { [scale, shift] }
    public var buffers: [(name: String, tensor: Tensor)] { [("running_mean", runningMean), ("running_var", runningVariance)] }

    public func initialize(using generator: inout SplitMix64) {
        for p in parameters { p.initialize(using: &generator) }
        runningMean.zero()
        runningVariance.pointer.update(repeating: 1, count: channels)
    }

    public func connect(to input: Shape) throws -> Shape {
        guard input.rank == 3, input[0] == channels else {
            throw EngineError.shapeMismatch("BatchNorm2D expects input (\(channels), H, W), got \(input)")
        }
        inputShape = input
        return input
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        checkInput(input, inputShape, "BatchNorm2D")
        let n = input.shape.batch, area = inputShape[1] * inputShape[2], count = n * area
        let y = output.tensor(input.shape), relu = activation == .relu
        lastMode = mode
        // Channels are independent: split across the engine's threads, the result is the same for any count.
        forEachChunk(of: channels) { range, _ in
            for c in range {
                let (mean, variance) = mode == .training
                    ? channelMoments(input.pointer, channel: c, batch: n, area: area)
                    : (runningMean[flat: c], runningVariance[flat: c])
                if mode == .training {
                    let unbiased = count > 1 ? variance * Float(count) / Float(count - 1) : variance
                    runningMean[flat: c] = (1 - momentum) * runningMean[flat: c] + momentum * mean
                    runningVariance[flat: c] = (1 - momentum) * runningVariance[flat: c] + momentum * unbiased
                }
                let invStd = 1 / (variance + epsilon).squareRoot()
                usedMean[flat: c] = mean
                inverseStd[flat: c] = invStd
                let affine = ChannelAffine(mean: mean, inverseStd: invStd, scale: scale.value[flat: c], shift: shift.value[flat: c])
                for s in 0..<n {
                    let offset = (s * channels + c) * area
                    affine.apply(input.pointer + offset, into: y.pointer + offset, count: area, relu: relu)
                }
            }
        }
        lastInput = input
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let x = lastInput, let y = lastOutput else { preconditionFailure("BatchNorm2D.backward before forward") }
        let n = outputGradient.shape.batch, area = inputShape[1] * inputShape[2], count = Float(n * area)
        let dx = inputGradient.tensor(outputGradient.shape), relu = activation == .relu
        forEachChunk(of: channels) { range, _ in
            for c in range {
                let mean = usedMean[flat: c], invStd = inverseStd[flat: c]
                let k = scale.value[flat: c] * invStd
                var sums = GradientSums()
                for s in 0..<n {
                    let offset = (s * channels + c) * area
                    sums.add(outputGradient.pointer + offset, relu ? y.pointer + offset : nil, x.pointer + offset,
                             mean: mean, inverseStd: invStd, count: area)
                }
                scale.gradient[flat: c] += sums.dyXhat
                shift.gradient[flat: c] += sums.dy
                guard lastMode == .training else {
                    // The running statistics are constants: only the scale reaches the input.
                    for s in 0..<n {
                        let offset = (s * channels + c) * area
                        scaledGradient(dx.pointer + offset, outputGradient.pointer + offset, relu ? y.pointer + offset : nil, k, count: area)
                    }
                    continue
                }
                let meanDy = sums.dy / count, meanDyXhat = sums.dyXhat / count
                for s in 0..<n {
                    let offset = (s * channels + c) * area
                    normalizedGradient(dx.pointer + offset, outputGradient.pointer + offset, relu ? y.pointer + offset : nil,
                                       x.pointer + offset, mean: mean, inverseStd: invStd, k: k,
                                       meanDy: meanDy, meanDyXhat: meanDyXhat, count: area)
                }
            }
        }
        return dx
    }
}

extension BatchNorm2D {
    /// Mean and biased variance of channel `c` over a batch (two passes, accumulated in Double).
    private func channelMoments(_ x: UnsafePointer<Float>, channel c: Int, batch n: Int, area: Int) -> (Float, Float) {
        var total = 0.0
        for s in 0..<n { total += Double(sum(x + (s * channels + c) * area, count: area)) }
        let mean = Float(total / Double(n * area))
        var squares = 0.0
        for s in 0..<n { squares += Double(squaredDeviations(x + (s * channels + c) * area, from: mean, count: area)) }
        return (mean, Float(squares / Double(n * area)))
    }
}

/// One channel's normalisation: `x̂ = (x − mean) · inverseStd`, `y = scale · x̂ + shift`.
private struct ChannelAffine {
    let mean, inverseStd, scale, shift: Float

    /// `y[i]` for `count` inputs, rectified when `relu`.
    @inline(__always)
    func apply(_ x: UnsafePointer<Float>, into y: UnsafeMutablePointer<Float>, count: Int, relu: Bool) {
        let m = SIMD16<Float>(repeating: mean), r = SIMD16<Float>(repeating: inverseStd)
        let a = SIMD16<Float>(repeating: scale), b = SIMD16<Float>(repeating: shift)
        var i = 0
        while i + 16 <= count {
            var v = a * ((load16(x + i) - m) * r) + b
            if relu { v = v.replacing(with: 0, where: .!(v .> 0)) }
            store16(y + i, v)
            i += 16
        }
        while i < count {
            let v = scale * ((x[i] - mean) * inverseStd) + shift
            y[i] = relu && !(v > 0) ? 0 : v
            i += 1
        }
    }
}

/// The gradient reaching the normalisation at lanes i…i+15: `dy`, masked by the fused ReLU's output `y` when given.
@inline(__always)
private func masked(_ dy: SIMD16<Float>, _ y: UnsafePointer<Float>?, _ i: Int) -> SIMD16<Float> {
    guard let y else { return dy }
    return dy.replacing(with: 0, where: .!(load16(y + i) .> 0))
}

/// The same at element i.
@inline(__always)
private func masked(_ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>?, _ i: Int) -> Float {
    guard let y else { return dy[i] }
    return y[i] > 0 ? dy[i] : 0
}

/// Σ g and Σ g · x̂ over a channel, g the (masked) output gradient, in sixteen lanes each (the order of `sum` and `dot`).
private struct GradientSums {
    var dy: Float = 0, dyXhat: Float = 0

    @inline(__always)
    mutating func add(_ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>?, _ x: UnsafePointer<Float>,
                      mean: Float, inverseStd: Float, count: Int) {
        let m = SIMD16<Float>(repeating: mean), r = SIMD16<Float>(repeating: inverseStd)
        var sumLanes = SIMD16<Float>(), dotLanes = SIMD16<Float>()
        var i = 0
        while i + 16 <= count {
            let g = masked(load16(dy + i), y, i)
            sumLanes += g
            dotLanes += g * ((load16(x + i) - m) * r)
            i += 16
        }
        var total = sumLanes.sum(), products = dotLanes.sum()
        while i < count {
            let g = masked(dy, y, i)
            total += g
            products += g * ((x[i] - mean) * inverseStd)
            i += 1
        }
        self.dy += total
        dyXhat += products
    }
}

/// Training mode: `dx[i] = k · (g[i] − meanDy − x̂[i] · meanDyXhat)`, x̂ recomputed from `x`.
@inline(__always)
private func normalizedGradient(_ dx: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>?,
                                _ x: UnsafePointer<Float>, mean: Float, inverseStd: Float, k: Float,
                                meanDy: Float, meanDyXhat: Float, count: Int) {
    let m = SIMD16<Float>(repeating: mean), r = SIMD16<Float>(repeating: inverseStd), kv = SIMD16<Float>(repeating: k)
    let md = SIMD16<Float>(repeating: meanDy), mdx = SIMD16<Float>(repeating: meanDyXhat)
    var i = 0
    while i + 16 <= count {
        let g = masked(load16(dy + i), y, i)
        store16(dx + i, kv * (g - md - (load16(x + i) - m) * r * mdx))
        i += 16
    }
    while i < count {
        let g = masked(dy, y, i)
        dx[i] = k * (g - meanDy - (x[i] - mean) * inverseStd * meanDyXhat)
        i += 1
    }
}

/// Inference mode: `dx[i] = k · g[i]`.
@inline(__always)
private func scaledGradient(_ dx: UnsafeMutablePointer<Float>, _ dy: UnsafePointer<Float>, _ y: UnsafePointer<Float>?, _ k: Float, count: Int) {
    let kv = SIMD16<Float>(repeating: k)
    var i = 0
    while i + 16 <= count {
        store16(dx + i, kv * masked(load16(dy + i), y, i))
        i += 16
    }
    while i < count {
        dx[i] = k * masked(dy, y, i)
        i += 1
    }
}
