#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import Engine

/// Finite-difference checks of every layer's backward pass (float32, central differences,
/// norm-wise relative error under 1e-2).
@Suite struct GradientCheckTests {
    static let tolerance = 1e-2

    @Test(arguments: [(1, 0, Activation.none, true), (1, 1, .relu, true), (2, 1, .none, false), (2, 0, .relu, true)])
    func conv2D(stride: Int, padding: Int, activation: Activation, bias: Bool) throws {
        let layer = try Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, stride: stride, padding: padding,
                               bias: bias, activation: activation)
        let check = try checkGradients(of: layer, input: [3, 7, 6])
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test(arguments: [(3, 1, 1), (3, 2, 0)])
    func fusedConvReLUMaxPool(kernelSize: Int, stride: Int, padding: Int) throws {
        let layer = try ConvReLUMaxPool(inputChannels: 2, outputChannels: 3, kernelSize: kernelSize, stride: stride, padding: padding)
        let check = try checkGradients(of: layer, input: [2, 9, 8], epsilon: 1e-3)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    /// Layers that Winograd runs (8 input channels, even planes) on AVX-512 or AVX2, on one
    /// and two workers (chunks of two and one image: the weight gradient sums over slots); on
    /// 8 × 10 and 8 × 8 planes F(2×2, 3×3), on 16 × 16 F(4×4, 3×3) where the CPU has AVX-512.
    @Test(arguments: [1, 2], [8, 16])
    func winogradLayers(workers: Int, size: Int) throws {
        try Parallelism.withWorkers(workers) {
            let conv = try Conv2D(inputChannels: 8, outputChannels: 5, kernelSize: 3, padding: 1, activation: .relu)
            let width = size == 8 ? 10 : size
            for mode in [Mode.training, .inference] {
                let check = try checkGradients(of: conv, input: [8, size, width], batch: 3, mode: mode, epsilon: 1e-3)
                #expect(check.worst < Self.tolerance, "conv \(mode): \(check.errors)")
            }
            // A step of 1e-3 flips a pooling window's arg-max here (1.6% error with every kernel, im2col too).
            let fused = try ConvReLUMaxPool(inputChannels: 8, outputChannels: 4, kernelSize: 3, stride: 1, padding: 1)
            let check = try checkGradients(of: fused, input: [8, size, size], batch: 3, epsilon: 5e-4)
            #expect(check.worst < Self.tolerance, "conv-relu-maxpool: \(check.errors)")
        }
    }

    /// Stride-2 layers the direct kernels run: output rows of 8 and 16 pixels (forward, weight
    /// gradient and, on AVX-512, the input gradient in four phases).
    @Test(arguments: [16, 32])
    func conv2DStrideTwoDirect(size: Int) throws {
        let layer = try Conv2D(inputChannels: 3, outputChannels: 4, kernelSize: 3, stride: 2, padding: 1, activation: .relu)
        let check = try checkGradients(of: layer, input: [3, size, size], batch: 2, epsilon: 1e-3)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test func conv2DPointwise() throws {
        let layer = try Conv2D(inputChannels: 4, outputChannels: 3, kernelSize: 1, stride: 2)
        let check = try checkGradients(of: layer, input: [4, 5, 5])
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test(arguments: [(2, nil as Int?, 0), (3, 2, 1), (3, 1, 0)])
    func maxPool(kernel: Int, stride: Int?, padding: Int) throws {
        // Piecewise linear: a small step keeps every window's arg-max fixed and is still exact.
        let check = try checkGradients(of: try MaxPool2D(kernelSize: kernel, stride: stride, padding: padding), input: [2, 6, 6],
                                       epsilon: 1e-4)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test(arguments: [(2, nil as Int?, 0), (3, 2, 1)])
    func avgPool(kernel: Int, stride: Int?, padding: Int) throws {
        let check = try checkGradients(of: try AvgPool2D(kernelSize: kernel, stride: stride, padding: padding), input: [2, 6, 5])
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test func perImageStandardization() throws {
        let check = try checkGradients(of: try PerImageStandardization(), input: [2, 4, 5], batch: 3, epsilon: 1e-3)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test func globalAvgPool() throws {
        let check = try checkGradients(of: GlobalAvgPool(), input: [3, 4, 5])
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test(arguments: [Activation.none, .relu])
    func dense(activation: Activation) throws {
        let check = try checkGradients(of: try Dense(inputFeatures: 10, outputFeatures: 7, activation: activation), input: [10], batch: 3)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test func relu() throws {
        let check = try checkGradients(of: ReLU(), input: [3, 4, 4], epsilon: 1e-3)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test func flatten() throws {
        let check = try checkGradients(of: Flatten(), input: [2, 3, 4])
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    /// Planes of one vector of sixteen lanes, and of two vectors and a tail of three.
    @Test(arguments: [Mode.training, .inference], [[3, 4, 4], [3, 5, 7]] as [Shape])
    func batchNorm(mode: Mode, input: Shape) throws {
        let check = try checkGradients(of: try BatchNorm2D(channels: 3), input: input, batch: 3, mode: mode, epsilon: 1e-3)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test(arguments: [Mode.training, .inference], [[3, 4, 4], [3, 5, 7]] as [Shape])
    func batchNormWithFusedReLU(mode: Mode, input: Shape) throws {
        let layer = try BatchNorm2D(channels: 3, activation: .relu)
        let check = try checkGradients(of: layer, input: input, batch: 3, mode: mode, epsilon: 1e-3)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test func dropout() throws {
        let layer = try Dropout(rate: 0.4)
        var g = SplitMix64(seed: 3)
        let check = try checkGradients(of: layer, input: [20]) { g = SplitMix64(seed: 3); layer.initialize(using: &g) }
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    @Test(arguments: [(4, 4, 1), (3, 5, 2)])
    func residualBlock(inputChannels: Int, outputChannels: Int, stride: Int) throws {
        let layer = try ResidualBlock(inputChannels: inputChannels, outputChannels: outputChannels, stride: stride)
        let check = try checkGradients(of: layer, input: [inputChannels, 6, 6], batch: 3, epsilon: 1e-3, samples: 30)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    /// A stride-2 block whose 3×3 convolution runs on the direct kernels (output rows of 8
    /// pixels), its input gradient on AVX-512 in four phases.
    @Test func residualBlockStrideTwoOnTheDirectKernels() throws {
        let layer = try ResidualBlock(inputChannels: 5, outputChannels: 6, stride: 2)
        let check = try checkGradients(of: layer, input: [5, 16, 16], batch: 2, epsilon: 1e-3, samples: 40)
        #expect(check.worst < Self.tolerance, "\(check.errors)")
    }

    /// Plain, smoothed, class-weighted, sample-weighted and generalized (r = 0.3, 0.7, 1) cross-entropy.
    static let lossCases: [(smoothing: Float, weights: [Float]?, generalization: Float, sampleWeights: [Float]?)] = [
        (0, nil, 0, nil), (0.1, nil, 0, nil), (0, [1, 2, 0.5, 1], 0, nil), (0.2, [0.3, 1, 1, 2], 0, nil), (0, nil, 0.7, nil),
        (0, [1, 2, 0.5, 1], 0.3, nil), (0, nil, 1, nil), (0, nil, 0, [1, 1 / 3, 2 / 3, 0, 1]), (0.1, [1, 2, 0.5, 1], 0, [0.2, 1, 0.5, 1, 0.9]), (0, [1, 2, 0.5, 1], 0.5, [0.2, 1, 0.5, 1, 0.9]),
    ]

    @Test(arguments: lossCases)
    func softmaxCrossEntropy(smoothing: Float, weights: [Float]?, generalization: Float, sampleWeights: [Float]?) throws {
        let loss = try SoftmaxCrossEntropy(classes: 4, labelSmoothing: smoothing, classWeights: weights,
                                           generalization: generalization)
        let logits = randomTensor([5, 4], seed: 11, scale: 2)
        let labels: [Int32] = [0, 3, 1, 2, 3]
        func value() -> Float {
            labels.withUnsafeBufferPointer { y in
                guard let sampleWeights else { return loss.evaluate(logits: logits, labels: y, computeGradient: false) }
                return sampleWeights.withUnsafeBufferPointer { loss.evaluate(logits: logits, labels: y, weights: $0, computeGradient: false) }
            }
        }
        let analytic: [Double] = labels.withUnsafeBufferPointer { y in
            if let sampleWeights {
                _ = sampleWeights.withUnsafeBufferPointer { loss.evaluate(logits: logits, labels: y, weights: $0, computeGradient: true) }
            } else {
                _ = loss.evaluate(logits: logits, labels: y, computeGradient: true)
            }
            return loss.gradient.values.map(Double.init)
        }
        var numeric: [Double] = []
        let h: Float = 1e-2
        for i in 0..<logits.count {
            let saved = logits[flat: i]
            logits[flat: i] = saved + h
            let plus = value()
            logits[flat: i] = saved - h
            let minus = value()
            logits[flat: i] = saved
            numeric.append(Double(plus - minus) / Double(2 * h))
        }
        #expect(normRelativeError(numeric, analytic) < Self.tolerance)
    }

    /// The generalized cross-entropy's value: p_y = 3/4, r = 0.5 → (1 − (3/4)^0.5) / 0.5.
    @Test func generalizedCrossEntropyValue() throws {
        let loss = try SoftmaxCrossEntropy(classes: 2, generalization: 0.5)
        let logits = Tensor(shape: [1, 2], values: [0, Float(log(3.0))])
        let value = [Int32(1)].withUnsafeBufferPointer { loss.evaluate(logits: logits, labels: $0, computeGradient: false) }
        #expect(abs(Double(value) - (1 - 0.75.squareRoot()) / 0.5) < 1e-6)
        #expect(throws: EngineError.self) { try SoftmaxCrossEntropy(classes: 2, labelSmoothing: 0.1, generalization: 0.5) }
    }

    /// Sample weights: the weighted mean of the rows' losses, Σ sₙ ℓₙ / Σ sₙ (a zero weight drops the row).
    @Test func sampleWeightedCrossEntropyValue() throws {
        let loss = try SoftmaxCrossEntropy(classes: 2)
        let logits = Tensor(shape: [3, 2], values: [0, Float(log(3.0)), 0, 0, 5, -5])
        let value = [Int32(1), 0, 1].withUnsafeBufferPointer { y in
            [Float(1) / 3, 1, 0].withUnsafeBufferPointer { loss.evaluate(logits: logits, labels: y, weights: $0, computeGradient: true) }
        }
        let expected = (-log(0.75) / 3 - log(0.5)) / (1 + 1.0 / 3)
        #expect(abs(Double(value) - expected) < 1e-6)
        #expect((4..<6).allSatisfy { loss.gradient[flat: $0] == 0 }, "a row of weight 0 gets no gradient")
    }

    /// The loss value itself against a hand computation: logits (0, ln 3) → p = (1/4, 3/4).
    @Test func softmaxCrossEntropyValue() throws {
        let loss = try SoftmaxCrossEntropy(classes: 2, labelSmoothing: 0.2)
        let logits = Tensor(shape: [1, 2], values: [0, Float(log(3.0))])
        let value = [Int32(1)].withUnsafeBufferPointer { loss.evaluate(logits: logits, labels: $0, computeGradient: false) }
        // q = (0.1, 0.9): −(0.1 ln ¼ + 0.9 ln ¾)
        let expected = -(0.1 * log(0.25) + 0.9 * log(0.75))
        #expect(abs(Double(value) - expected) < 1e-6)
        #expect(abs(loss.probabilities[flat: 1] - 0.75) < 1e-6)
    }
}
