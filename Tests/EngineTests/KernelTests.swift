import CConvolution
import Testing
@testable import Engine

/// The fast kernels against their algorithmic references.
@Suite struct KernelTests {
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func sgemmMatchesNaive(transposeA: Bool, transposeB: Bool) {
        for (m, n, k) in [(3, 5, 7), (16, 131, 9), (64, 300, 288), (33, 17, 1)] {
            let a = randomTensor([m * k], seed: 1), b = randomTensor([k * n], seed: 2)
            let fast = randomTensor([m * n], seed: 3), slow = fast.copied()
            let lda = transposeA ? m : k, ldb = transposeB ? k : n
            sgemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5, a: a.pointer, lda: lda,
                  b: b.pointer, ldb: ldb, beta: 0.25, c: fast.pointer, ldc: n)
            sgemmNaive(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5, a: a.pointer, lda: lda,
                       b: b.pointer, ldb: ldb, beta: 0.25, c: slow.pointer, ldc: n)
            #expect(maxScaledDifference(fast.values, slow.values) < 1e-5, "m \(m) n \(n) k \(k)")
        }
    }

    @Test(arguments: [(3, 1, 1), (3, 2, 0), (5, 2, 2), (1, 1, 0), (2, 3, 1)])
    func convolutionMatchesNaiveLoops(kernelSize: Int, stride: Int, padding: Int) throws {
        let layer = try Conv2D(inputChannels: 3, outputChannels: 5, kernelSize: kernelSize, stride: stride, padding: padding)
        _ = try layer.connect(to: [3, 9, 8])
        var g = SplitMix64(seed: 9)
        layer.initialize(using: &g)
        for i in 0..<layer.bias!.value.count { layer.bias!.value[flat: i] = g.nextNormal() }
        let x = randomTensor([4, 3, 9, 8], seed: 10)
        let fast = layer.forward(x, mode: .inference).values
        let slow = convolutionNaive(input: x, kernel: layer.kernel.value, bias: layer.bias!.value, stride: stride, padding: padding)
        #expect(maxScaledDifference(fast, slow) < 1e-5)
    }

    @Test func col2imIsTheAdjointOfIm2col() {
        // ⟨im2col(x), c⟩ = ⟨x, col2im(c)⟩ for every x and c.
        let g = ConvolutionGeometry(channels: 2, height: 7, width: 6, kernelHeight: 3, kernelWidth: 3, stride: 2, padding: 1)
        let batch = 3
        let x = randomTensor([batch, 2, 7, 6], seed: 1), c = randomTensor([g.patchSize, batch * g.outputPlane], seed: 2)
        let columns = Tensor(zeros: c.shape), folded = Tensor(zeros: x.shape)
        im2col(columns.pointer, x.pointer, g, batch: batch)
        col2im(folded.pointer, c.pointer, g, batch: batch)
        let left = zip(columns.values, c.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        let right = zip(x.values, folded.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        #expect(abs(left - right) < 1e-3 * max(abs(left), 1))
    }

    /// A 1 × 1 window of stride 2 (a shortcut's): im2col takes pixel (2i, 2j) of each plane, col2im
    /// puts 0 + the column back there and zeros elsewhere — bit for bit, a −0 column turning +0 as
    /// in the sum — on even and odd planes, a batch of three, rows longer and shorter than a vector.
    @Test func aPointwiseStrideTwoWindowTakesEverySecondPixel() {
        for (height, width) in [(16, 16), (7, 9), (2, 40), (64, 64)] {
            let g = ConvolutionGeometry(channels: 3, height: height, width: width, kernelHeight: 1, kernelWidth: 1, stride: 2, padding: 0)
            let batch = 3, (ho, wo) = (g.outputHeight, g.outputWidth), rowStride = batch * g.outputPlane
            let x = randomTensor([batch, 3, height, width], seed: 7), columns = Tensor(zeros: [3, rowStride])
            im2col(columns.pointer, x.pointer, g, batch: batch)
            let c = randomTensor([3, rowStride], seed: 8), folded = randomTensor([batch, 3, height, width], seed: 9)
            c[flat: 0] = -0.0
            col2im(folded.pointer, c.pointer, g, batch: batch)
            for n in 0..<batch {
                for channel in 0..<3 {
                    for i in 0..<height {
                        for j in 0..<width {
                            let pixel = ((n * 3 + channel) * height + i) * width + j
                            let column = channel * rowStride + n * g.outputPlane + (i / 2) * wo + j / 2
                            let taken = i % 2 == 0 && j % 2 == 0 && i / 2 < ho && j / 2 < wo
                            if taken { #expect(columns[flat: column].bitPattern == x[flat: pixel].bitPattern, "im2col \(height)×\(width)") }
                            let expected: Float = taken ? 0 + c[flat: column] : 0
                            #expect(folded[flat: pixel].bitPattern == expected.bitPattern, "col2im \(height)×\(width) at \(n), \(channel), \(i), \(j)")
                        }
                    }
                }
            }
        }
    }

    @Test func elementwiseKernelsMatchTheirFormulas() {
        let x = randomTensor([37], seed: 4), dy = randomTensor([37], seed: 5)
        let y = Tensor(zeros: [37]), dx = Tensor(zeros: [37])
        reluForward(y.pointer, x.pointer, count: 37)
        reluBackward(dx.pointer, dy.pointer, y.pointer, count: 37)
        for i in 0..<37 {
            #expect(y[flat: i] == Swift.max(x[flat: i], 0))
            #expect(dx[flat: i] == (x[flat: i] > 0 ? dy[flat: i] : 0))
        }
        #expect(abs(sum(x.pointer, count: 37) - x.values.reduce(0, +)) < 1e-5)
    }

    /// The ReLU's backward in place, writing over its output (as `ResidualBlock` does) or over
    /// the gradient, gives what it gives into a separate array, on vector-long and odd lengths.
    @Test(arguments: [37, 1000])
    func reluBackwardInPlaceMatchesTheSeparateArray(count: Int) {
        let x = randomTensor([count], seed: 6), dy = randomTensor([count], seed: 7)
        let y = Tensor(zeros: [count]), expected = Tensor(zeros: [count])
        reluForward(y.pointer, x.pointer, count: count)
        reluBackward(expected.pointer, dy.pointer, y.pointer, count: count)
        let overOutput = Tensor(shape: [count], values: y.values), overGradient = Tensor(shape: [count], values: dy.values)
        reluBackward(overOutput.pointer, dy.pointer, overOutput.pointer, count: count)
        reluBackward(overGradient.pointer, overGradient.pointer, y.pointer, count: count)
        #expect(overOutput.values == expected.values)
        #expect(overGradient.values == expected.values)
        #expect(expected.values.contains(0) && expected.values.contains { $0 != 0 })
    }
}

/// The vectorised 2×2 max pooling against a direct reading of the definition.
@Suite struct MaxPoolingTests {
    @Test func twoByTwoPoolingMatchesTheDefinition() throws {
        let pool = try MaxPool2D(kernelSize: 2)
        _ = try pool.connect(to: [3, 6, 20])    // 10 output columns: one 8-wide block and a tail of 2
        let x = randomTensor([2, 3, 6, 20], seed: 12)
        let y = pool.forward(x, mode: .training)
        let dy = Tensor(shape: y.shape, values: (0..<y.count).map { Float($0 + 1) })
        let dx = pool.backward(dy)
        var expectedGradient = [Float](repeating: 0, count: x.count)
        for plane in 0..<6 {
            for i in 0..<3 {
                for j in 0..<10 {
                    let cells = [(2 * i, 2 * j), (2 * i, 2 * j + 1), (2 * i + 1, 2 * j), (2 * i + 1, 2 * j + 1)]
                        .map { plane * 120 + $0.0 * 20 + $0.1 }
                    let winner = cells.max { x[flat: $0] < x[flat: $1] }!
                    let o = plane * 30 + i * 10 + j
                    #expect(y[flat: o] == x[flat: winner])
                    expectedGradient[winner] = dy[flat: o]
                }
            }
        }
        #expect(dx.values == expectedGradient)
    }

    /// Every instruction set's kernel (AVX-512: sixteen windows a step, AVX2: eight) gives what
    /// the one-window-at-a-time loop gives, ties (values on a coarse grid), a NaN and the tails
    /// of odd sizes included.
    @Test func everyInstructionSetPoolsAsTheScalarLoop() {
        let (height, width) = (7, 55), outputs = (height / 2) * (width / 2)   // 27 a row: 16 + 8 + 3
        var generator = SplitMix64(seed: 5)
        var x = (0..<(height * width)).map { _ in Float(generator.nextIndex(below: 4)) }
        x[2 * width + 40] = .nan
        func pool(_ isa: Int32) -> (values: [UInt32], indices: [Int32]) {
            var y = [Float](repeating: 0, count: outputs), idx = [Int32](repeating: -1, count: outputs)
            fw_max_pool2x2(isa, x, Int32(height), Int32(width), &y, &idx)
            return (y.map(\.bitPattern), idx)
        }
        let scalar = pool(0)
        for isa in 1...max(1, fw_conv3x3_best_isa()) where isa <= fw_conv3x3_best_isa() {
            let vector = pool(isa)
            #expect(vector.values == scalar.values, "isa \(isa)")
            #expect(vector.indices == scalar.indices, "isa \(isa)")
        }
        // The NaN is its window's first value (output row 1, column 20): nothing replaces it.
        #expect(Float(bitPattern: scalar.values[width / 2 + 20]).isNaN)
        #expect(scalar.indices[width / 2 + 20] == Int32(2 * width + 40))
    }
}

/// The backward of ReLU and 2×2 max pooling, on AVX-512 (sixteen windows a step) and one window
/// at a time: the same gradient plane, and sums of what passed the ReLU within rounding.
@Suite struct UnpoolingTests {
    @Test func everyInstructionSetUnpoolsAsTheScalarLoop() {
        let (height, width) = (7, 55), rows = height / 2, outputs = width / 2   // 27 windows a row: 16 + 11; an odd row and column
        var generator = SplitMix64(seed: 8)
        let x = (0..<(height * width)).map { _ in Float(generator.nextIndex(below: 9)) - 4 }
        var pooled = [Float](repeating: 0, count: rows * outputs), idx = [Int32](repeating: 0, count: rows * outputs)
        fw_max_pool2x2(0, x, Int32(height), Int32(width), &pooled, &idx)
        let dy = (0..<(rows * outputs)).map { _ in Float(generator.nextIndex(below: 1000)) / 100 - 5 }
        func unpool(_ isa: Int32) -> (plane: [Float], total: Float) {
            var dz = [Float](repeating: .nan, count: height * width)
            let total = fw_unpool2x2_relu(isa, dy, pooled, idx, Int32(height), Int32(width), &dz)
            return (dz, total)
        }
        let scalar = unpool(0)
        var expected = [Float](repeating: 0, count: height * width)
        for cell in dy.indices where pooled[cell] > 0 { expected[Int(idx[cell])] = dy[cell] }
        #expect(scalar.plane == expected)
        #expect(pooled.contains { $0 <= 0 } && pooled.contains { $0 > 0 })
        let vector = unpool(fw_conv3x3_best_isa())
        #expect(vector.plane == expected)
        #expect(abs(vector.total - scalar.total) <= 1e-4 * dy.map(abs).reduce(0, +))
    }
}

/// The fused layer computes what its three parts compute: forward exactly, backward within
/// rounding (with 20 or 40 input channels on the direct AVX-512 kernel, from the passing windows
/// alone, `PooledBackward`).
@Suite struct FusionTests {
    /// Rows of 6 pooling windows (one at a time), and of 17 (sixteen a step on AVX-512, then one).
    @Test(arguments: [1, 2], [(10, 12), (6, 34)])
    func fusedConvReLUMaxPoolEqualsTheComposition(workers: Int, plane: (height: Int, width: Int)) throws {
        BLASThreads.set(1)
        try Parallelism.withWorkers(workers) { try compareFusedWithComposition(inputs: 3, outputs: 4, height: plane.height, width: plane.width) }
    }

    /// One and three sixteen-channel blocks of input (one vector, then two and one a pass), an odd
    /// height (its last row pooled by no window), rows of more than sixteen pixels.
    @Test(arguments: [(20, 24, 7, 10), (40, 8, 8, 34)])
    func manyInputChannelsGiveTheCompositionsGradients(shape: (inputs: Int, outputs: Int, height: Int, width: Int)) throws {
        BLASThreads.set(1)
        try Parallelism.withWorkers(2) {
            try compareFusedWithComposition(inputs: shape.inputs, outputs: shape.outputs, height: shape.height, width: shape.width)
        }
    }

    private func compareFusedWithComposition(inputs: Int, outputs: Int, height: Int, width: Int) throws {
        let fused = try ConvReLUMaxPool(inputChannels: inputs, outputChannels: outputs, kernelSize: 3, padding: 1)
        let conv = try Conv2D(inputChannels: inputs, outputChannels: outputs, kernelSize: 3, padding: 1, activation: .relu)
        let pool = try MaxPool2D(kernelSize: 2)
        let parts = try Sequential(inputShape: [inputs, height, width], layers: [conv, pool])
        let whole = try Sequential(inputShape: [inputs, height, width], layers: [fused])
        parts.initialize(seed: 4)
        whole.initialize(seed: 4)
        for i in 0..<outputs {
            conv.bias!.value[flat: i] = 0.1 * Float(i % 4) - 0.15; fused.convolution.bias!.value[flat: i] = conv.bias!.value[flat: i]
        }
        parts.layers.forEach { $0.needsInputGradient = true }
        whole.layers.forEach { $0.needsInputGradient = true }
        let x = randomTensor([5, inputs, height, width], seed: 5), dy = randomTensor([5, outputs, height / 2, width / 2], seed: 6)
        #expect(whole.forward(x, mode: .training).values == parts.forward(x, mode: .training).values)
        let dxWhole = fused.backward(dy).values, dxParts = conv.backward(pool.backward(dy)).values
        #expect(maxScaledDifference(dxWhole, dxParts) < 1e-6)
        #expect(maxScaledDifference(whole.arena.gradients.values, parts.arena.gradients.values) < 1e-6)
    }

    /// In inference a residual block's batch norms ride on Winograd's output transform: its output
    /// is the same to the bit as its layers run one by one (statistics and affine of a trained
    /// network, not the initial identity), on every Winograd layer of the block; other kernels run
    /// the layers one by one.
    @Test(arguments: [(16, 16, 1), (16, 32, 1), (8, 8, 2)])
    func aResidualBlockInfersTheSameWithItsBatchNormsInsideWinograd(channels: Int, outputs: Int, stride: Int) throws {
        let block = try ResidualBlock(inputChannels: channels, outputChannels: outputs, stride: stride)
        _ = try block.connect(to: [channels, 16, 16])
        var generator = SplitMix64(seed: 5)
        block.initialize(using: &generator)
        for (n, norm) in block.batchNorms.enumerated() {
            for c in 0..<norm.channels {
                norm.runningMean[flat: c] = 0.3 * generator.nextNormal()
                norm.runningVariance[flat: c] = 0.5 + abs(generator.nextNormal())
                norm.scale.value[flat: c] = 1 + 0.2 * generator.nextNormal()
                norm.shift.value[flat: c] = 0.1 * generator.nextNormal() + Float(n) * 0.01
            }
        }
        let x = randomTensor([3, channels, 16, 16], seed: 9)
        let fused = block.forward(x, mode: .inference).values
        let winograd = block.main.compactMap { $0 as? Conv2D }.map { $0.convolutionKernel(.inference).isWinograd }
        #expect(block.fusedBatchNorms == winograd.contains(true))
        let expected = layerByLayer(block, x, mode: .inference).values
        let differing = zip(fused, expected).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(fused.count == expected.count && differing == 0, "\(differing) of \(fused.count) outputs differ")
    }

    /// `block`'s output from its layers run one by one, the main path and shortcut summed by `addReLU`.
    private func layerByLayer(_ block: ResidualBlock, _ x: Tensor, mode: Mode) -> Tensor {
        var main = x, side = x
        for layer in block.main { main = layer.forward(main, mode: mode) }
        for layer in block.shortcut { side = layer.forward(side, mode: mode) }
        let sum = Tensor(zeros: main.shape)
        addReLU(sum.pointer, main.pointer, side.pointer, count: main.count)
        return sum
    }

    /// In training a residual block's last batch norm writes the block's output, the shortcut
    /// added and rectified in the same pass: the same to the bit as its layers run one by one and
    /// `addReLU`, on planes whose size is not a multiple of sixteen (the passes' tails) and with a
    /// shortcut convolution.
    @Test(arguments: [(16, 16, 1, 10), (8, 16, 2, 18), (16, 32, 1, 9)])
    func aResidualBlockTrainsWithItsSumInsideTheLastBatchNorm(channels: Int, outputs: Int, stride: Int, plane: Int) throws {
        let block = try ResidualBlock(inputChannels: channels, outputChannels: outputs, stride: stride)
        _ = try block.connect(to: [channels, plane, plane])
        var generator = SplitMix64(seed: 6)
        block.initialize(using: &generator)
        for norm in block.batchNorms {
            for c in 0..<norm.channels { norm.shift.value[flat: c] = 0.2 * generator.nextNormal() }
        }
        let x = randomTensor([3, channels, plane, plane], seed: 10)
        let fused = block.forward(x, mode: .training).values
        let expected = layerByLayer(block, x, mode: .training).values
        let differing = zip(fused, expected).filter { $0.bitPattern != $1.bitPattern }.count
        #expect(fused.count == expected.count && differing == 0, "\(differing) of \(fused.count) outputs differ")
        #expect(expected.contains(0) && expected.contains { $0 > 0 })
    }
}
