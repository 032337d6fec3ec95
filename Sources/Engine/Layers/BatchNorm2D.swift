import CConvolution

/// Batch normalisation over (N, H, W) per channel (Ioffe & Szegedy 2015):
/// `y = γ · (x − μ) / sqrt(σ² + ε) + β`, optionally followed by a fused ReLU.
///
/// Training uses the batch's mean and biased variance and updates the running statistics
/// (`running = (1 − momentum) · running + momentum · batch`, unbiased variance, as PyTorch);
/// inference uses the running statistics. Layout NCHW; γ starts at 1, β at 0. The normalised
/// input x̂ is not stored: backward recomputes it from the input with the same arithmetic, which
/// saves a pass over memory each way. The per-channel passes are `CConvolution`'s `fw_bn_*`, compiled
/// for AVX-512, AVX2 and the baseline and chosen at run time.
public final class BatchNorm2D: Layer {
    public let kind = "batchnorm2d"
    public let channels: Int
    public let momentum: Float, epsilon: Float
    public let activation: Activation
    public let scale: Parameter, shift: Parameter
    public let runningMean: Tensor, runningVariance: Tensor
    public var needsInputGradient = true
    private var inputShape = Shape([])
    private var output = Workspace(), inputGradient = Workspace(), affine = Workspace()
    /// Per channel, the mean and 1/sqrt(σ² + ε) the last forward pass normalised with.
    private var usedMean: Tensor, inverseStd: Tensor
    private var lastInput: Tensor?, lastOutput: Tensor?
    private var lastMode = Mode.inference
    /// While the running statistics are re-estimated (`beginReestimation`), the batches seen so far.
    private var reestimatedBatches: Int?

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

    /// 1/sqrt(σ² + ε), as every pass normalises with it.
    private func inverseStandardDeviation(_ variance: Float) -> Float { 1 / (variance + epsilon).squareRoot() }

    /// Per channel c, at 4c … 4c + 3: the running mean, 1/sqrt(running variance + ε), the scale and
    /// the shift — the map the inference pass applies, for a convolution that applies it as it
    /// writes its output (`Conv2D.forwardInference(_:normalizedBy:)`).
    func inferenceAffine() -> UnsafePointer<Float> {
        let a = affine.tensor([4 * channels])
        for c in 0..<channels {
            a[flat: 4 * c] = runningMean[flat: c]
            a[flat: 4 * c + 1] = inverseStandardDeviation(runningVariance[flat: c])
            a[flat: 4 * c + 2] = scale.value[flat: c]
            a[flat: 4 * c + 3] = shift.value[flat: c]
        }
        return UnsafePointer(a.pointer)
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        let y = output.tensor(input.shape), relu = activation == .relu
        normalize(input, mode: mode) { c, area, n, mean, invStd in
            fw_bn_apply(input.pointer + c * area, y.pointer + c * area, Int32(n), channels * area, Int32(area),
                        mean, invStd, scale.value[flat: c], shift.value[flat: c], relu ? 1 : 0)
        }
        lastOutput = y
        return y
    }

    /// `max(forward(input) + side, 0)` written into `y` (the shape of `input`), to the bit what
    /// `addReLU` of the two gives, in one pass fewer over memory: a residual block's last batch
    /// norm, its sum with the shortcut and the block's ReLU. Only for a batch norm without an
    /// activation of its own, whose backward does not read its output (which it then keeps none of).
    func forward(_ input: Tensor, mode: Mode, addingReLU side: Tensor, into y: Tensor) {
        precondition(activation == .none && side.shape == input.shape && y.shape == input.shape,
                     "BatchNorm2D: the fused residual sum needs no activation of its own and three tensors of one shape")
        normalize(input, mode: mode) { c, area, n, mean, invStd in
            fw_bn_apply_add_relu(input.pointer + c * area, side.pointer + c * area, y.pointer + c * area, Int32(n), channels * area,
                                 Int32(area), mean, invStd, scale.value[flat: c], shift.value[flat: c])
        }
        lastOutput = nil
    }

    /// The statistics of `input` per channel (the batch's in training, updating the running ones;
    /// the running ones in inference), handed with the channel to `apply(c, area, batch, mean,
    /// 1/√(σ² + ε))`; channels split across the engine's threads.
    private func normalize(_ input: Tensor, mode: Mode, apply: (Int, Int, Int, Float, Float) -> Void) {
        checkInput(input, inputShape, "BatchNorm2D")
        let n = input.shape.batch, area = inputShape[1] * inputShape[2], count = n * area
        lastMode = mode
        // Channels are independent: split across the engine's threads, the result is the same for any count.
        forEachChunk(of: channels) { range, _ in
            for c in range {
                let (mean, variance) = mode == .training
                    ? channelMoments(input.pointer, channel: c, batch: n, area: area)
                    : (runningMean[flat: c], runningVariance[flat: c])
                if mode == .training {
                    let unbiased = count > 1 ? variance * Float(count) / Float(count - 1) : variance
                    // Re-estimating: the cumulative average over the batches seen (PyTorch's momentum None).
                    let weight = reestimatedBatches.map { 1 / Float($0 + 1) } ?? momentum
                    runningMean[flat: c] = (1 - weight) * runningMean[flat: c] + weight * mean
                    runningVariance[flat: c] = (1 - weight) * runningVariance[flat: c] + weight * unbiased
                }
                let invStd = inverseStandardDeviation(variance)
                usedMean[flat: c] = mean
                inverseStd[flat: c] = invStd
                apply(c, area, n, mean, invStd)
            }
        }
        if mode == .training, let seen = reestimatedBatches { reestimatedBatches = seen + 1 }
        lastInput = input
    }

    /// Starts re-estimating the running statistics: from here until `endReestimation`, each
    /// training-mode pass adds its batch to a plain average (every batch weighs the same) in place
    /// of the momentum update — how a network trained on one condition is adapted to another from
    /// unlabelled images of it (Li et al. 2016, "Revisiting batch normalization for practical domain adaptation").
    public func beginReestimation() {
        runningMean.zero()
        runningVariance.zero()
        reestimatedBatches = 0
    }

    /// Returns to the momentum update.
    public func endReestimation() { reestimatedBatches = nil }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let x = lastInput else { preconditionFailure("BatchNorm2D.backward before forward") }
        // The fused ReLU's output masks the gradient; without a ReLU no output is read (nor kept by a fused residual sum).
        let rectified = activation == .relu ? lastOutput : nil
        precondition(activation != .relu || rectified != nil, "BatchNorm2D.backward: the ReLU's output is missing")
        let n = outputGradient.shape.batch, area = inputShape[1] * inputShape[2], count = Float(n * area)
        let dx = inputGradient.tensor(outputGradient.shape)
        forEachChunk(of: channels) { range, _ in
            for c in range {
                let mean = usedMean[flat: c], invStd = inverseStd[flat: c]
                let k = scale.value[flat: c] * invStd
                let (dy, out, input, stride) = (outputGradient.pointer + c * area, rectified.map { UnsafePointer($0.pointer + c * area) }, x.pointer + c * area, channels * area)
                var sumDy: Float = 0, sumDyXhat: Float = 0
                fw_bn_gradient_sums(dy, out, input, Int32(n), stride, Int32(area), mean, invStd, &sumDy, &sumDyXhat)
                scale.gradient[flat: c] += sumDyXhat
                shift.gradient[flat: c] += sumDy
                // In inference mode the running statistics are constants: only the scale reaches the input.
                fw_bn_input_gradient(dx.pointer + c * area, dy, out, input, Int32(n), stride, Int32(area), mean, invStd, k,
                                     sumDy / count, sumDyXhat / count, lastMode == .training ? 1 : 0)
            }
        }
        return dx
    }
}

extension BatchNorm2D {
    /// Mean and biased variance of channel `c` over a batch (two passes, images added in Double).
    private func channelMoments(_ x: UnsafePointer<Float>, channel c: Int, batch n: Int, area: Int) -> (Float, Float) {
        var mean: Float = 0, variance: Float = 0
        fw_bn_moments(x + c * area, Int32(n), channels * area, Int32(area), &mean, &variance)
        return (mean, variance)
    }
}
