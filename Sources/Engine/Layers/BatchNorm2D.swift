/// Batch normalisation over (N, H, W) per channel (Ioffe & Szegedy 2015):
/// `y = γ · (x − μ) / sqrt(σ² + ε) + β`.
///
/// Training uses the batch's mean and biased variance and updates the running statistics
/// (`running = (1 − momentum) · running + momentum · batch`, unbiased variance, as PyTorch);
/// inference uses the running statistics. Layout NCHW; γ starts at 1, β at 0.
public final class BatchNorm2D: Layer {
    public let kind = "batchnorm2d"
    public let channels: Int
    public let momentum: Float, epsilon: Float
    public let scale: Parameter, shift: Parameter
    public let runningMean: Tensor, runningVariance: Tensor
    public var needsInputGradient = true
    private var inputShape = Shape([])
    private var normalized = Workspace(), output = Workspace(), inputGradient = Workspace()
    private var inverseStd: Tensor
    private var lastMode = Mode.inference

    public init(channels: Int, momentum: Float = 0.1, epsilon: Float = 1e-5) throws {
        try require(channels > 0, "BatchNorm2D channels must be positive, got \(channels)")
        try require(momentum >= 0 && momentum <= 1, "BatchNorm2D momentum must be in [0, 1], got \(momentum)")
        try require(epsilon > 0, "BatchNorm2D epsilon must be positive, got \(epsilon)")
        self.channels = channels; self.momentum = momentum; self.epsilon = epsilon
        scale = Parameter(name: "scale", shape: [channels], fanIn: 1, fanOut: 1, initializer: .constant(1))
        shift = Parameter(name: "shift", shape: [channels], fanIn: 1, fanOut: 1, initializer: .constant(0))
        runningMean = Tensor(zeros: [channels])
        runningVariance = Tensor(zeros: [channels])
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
        let xhat = normalized.tensor(input.shape), y = output.tensor(input.shape)
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
                inverseStd[flat: c] = invStd
                let gamma = scale.value[flat: c], beta = shift.value[flat: c]
                for s in 0..<n {
                    let offset = (s * channels + c) * area
                    let x = input.pointer + offset, h = xhat.pointer + offset, out = y.pointer + offset
                    for i in 0..<area { let v = (x[i] - mean) * invStd; h[i] = v; out[i] = gamma * v + beta }
                }
            }
        }
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let n = outputGradient.shape.batch, area = inputShape[1] * inputShape[2], count = Float(n * area)
        let xhat = normalized.tensor(outputGradient.shape), dx = inputGradient.tensor(outputGradient.shape)
        forEachChunk(of: channels) { range, _ in
            for c in range {
                var sumDy: Float = 0, sumDyXhat: Float = 0
                for s in 0..<n {
                    let offset = (s * channels + c) * area
                    sumDy += sum(outputGradient.pointer + offset, count: area)
                    sumDyXhat += dot(outputGradient.pointer + offset, xhat.pointer + offset, count: area)
                }
                scale.gradient[flat: c] += sumDyXhat
                shift.gradient[flat: c] += sumDy
                let k = scale.value[flat: c] * inverseStd[flat: c]
                let meanDy = sumDy / count, meanDyXhat = sumDyXhat / count
                for s in 0..<n {
                    let offset = (s * channels + c) * area
                    let dy = outputGradient.pointer + offset, h = xhat.pointer + offset, d = dx.pointer + offset
                    if lastMode == .training {
                        for i in 0..<area { d[i] = k * (dy[i] - meanDy - h[i] * meanDyXhat) }
                    } else {
                        for i in 0..<area { d[i] = k * dy[i] }
                    }
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
