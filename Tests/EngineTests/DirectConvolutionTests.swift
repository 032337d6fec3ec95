import CConvolution
import Testing
@testable import Engine

/// Flywheel's direct and Winograd 3×3 convolution kernels against the naive loops, their adjoint
/// against the forward pass, and AVX2 against AVX-512 (bit for bit), on every kernel this CPU runs.
@Suite struct DirectConvolutionTests {
    /// The direct kernels this CPU runs.
    static let kernels = [ConvolutionKernel.avx2, .avx512].filter { $0.isaLevel <= ConvolutionKernel.best.isaLevel }

    /// Every kernel this CPU runs with the shapes it takes: Winograd only even planes; those
    /// include, for F(2×2, 3×3), tile rows of 4, 8, 16 and 32 tiles, of 6 and 20 (a partial last
    /// vector on both instruction sets), and an odd number of tile rows (8 × 6 and 2 × 8: the last
    /// vector of two tile rows holds one); and for F(4×4, 3×3) on AVX-512, tile rows of 4, 8 and 16
    /// tiles (four, two and one to a vector), of 12 (a partial vector, five tile rows) and of 32
    /// (two vectors), and a plane it leaves to F(2×2) (24 × 16: six tile rows of four).
    static let cases: [(ConvolutionKernel, [(Int, Int, Int, Int)])] = kernels.map { ($0, shapes) } + winogradKernels.map { ($0, winogradShapes) }
    /// Winograd on each instruction set this CPU runs.
    static let winogradKernels = [ConvolutionKernel.winogradAVX2, .winograd].filter { $0.isaLevel <= ConvolutionKernel.best.isaLevel }
    static let winogradShapes = [(16, 8, 8, 8), (8, 16, 16, 16), (1, 16, 32, 32), (4, 9, 6, 16), (8, 12, 10, 12), (5, 24, 8, 40),
                                 (3, 5, 2, 8), (9, 7, 64, 64), (8, 9, 16, 32), (5, 11, 20, 48), (3, 17, 128, 128), (6, 10, 24, 16)]

    /// (inputs, outputs, height, width): the first layer, a channel count that is not a multiple
    /// of 8, rows shorter than a vector and rows of several vectors with a partial last one; and
    /// for the AVX-512 weight gradient, pairs of 16-channel blocks with a partial block after them
    /// (40, 33 outputs) on rows of 13 and 18 pixels, which end mid-step (steps of 2 and 4 pixels).
    static let shapes = [(1, 16, 32, 32), (3, 12, 9, 13), (5, 24, 17, 40), (16, 8, 8, 8), (2, 3, 3, 1), (4, 9, 6, 16), (3, 5, 7, 7), (2, 4, 5, 5),
                         (5, 40, 9, 13), (7, 33, 6, 18)]

    private func convolve(_ kernel: ConvolutionKernel, _ x: Tensor, weights: Tensor, bias: Tensor?, relu: Bool,
                          inputs: Int, outputs: Int, height: Int, width: Int, adjoint: Bool = false) -> [Float] {
        var packing = DirectConvolutionWeights()
        let packed = adjoint ? packing.adjoint(weights, inputs: outputs, outputs: inputs, method: kernel, height: height, width: width)
                             : packing.forward(weights, inputs: inputs, outputs: outputs, method: kernel, height: height, width: width)
        let scratch = Tensor(zeros: [directConvolutionScratch(kernel, inputs: inputs, outputs: outputs, height: height, width: width)])
        let y = Tensor(zeros: [outputs, height, width])
        directConvolution(kernel, x.pointer, inputs: inputs, height: height, width: width, packed: packed, outputs: outputs,
                          bias: bias.map { UnsafePointer($0.pointer) }, relu: relu, scratch: scratch.pointer, y.pointer)
        return y.values
    }

    @Test func forwardMatchesTheNaiveLoops() {
        for (kernel, shapes) in Self.cases {
            for (inputs, outputs, height, width) in shapes {
                let x = randomTensor([1, inputs, height, width], seed: 1), w = randomTensor([outputs, inputs, 3, 3], seed: 2)
                let bias = randomTensor([outputs], seed: 3)
                let slow = convolutionNaive(input: x, kernel: w, bias: bias, stride: 1, padding: 1)
                let fast = convolve(kernel, x, weights: w, bias: bias, relu: false, inputs: inputs, outputs: outputs, height: height, width: width)
                #expect(maxScaledDifference(fast, slow) < 1e-5, "\(kernel) \(inputs)→\(outputs) \(height)×\(width)")
                let rectified = convolve(kernel, x, weights: w, bias: bias, relu: true, inputs: inputs, outputs: outputs, height: height, width: width)
                #expect(rectified == fast.map { Swift.max($0, 0) }, "\(kernel): the fused ReLU")
            }
        }
    }

    /// ⟨conv(x), g⟩ = ⟨x, conv_adjoint(g)⟩: the adjoint packing computes the input gradient.
    @Test func theAdjointIsTheInputGradient() {
        for (kernel, shapes) in Self.cases {
            for (inputs, outputs, height, width) in shapes {
                let x = randomTensor([inputs, height, width], seed: 4), g = randomTensor([outputs, height, width], seed: 5)
                let w = randomTensor([outputs, inputs, 3, 3], seed: 6)
                let y = convolve(kernel, x, weights: w, bias: nil, relu: false, inputs: inputs, outputs: outputs, height: height, width: width)
                let dx = convolve(kernel, g, weights: w, bias: nil, relu: false, inputs: outputs, outputs: inputs, height: height, width: width,
                                  adjoint: true)
                let left = zip(y, g.values).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                let right = zip(x.values, dx).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
                #expect(abs(left - right) < 1e-4 * Swift.max(abs(left), 1), "\(kernel) \(inputs)→\(outputs) \(height)×\(width)")
            }
        }
    }

    /// dW[o][c][u][v] + Σ g[o][i][j] · x[c][s·i+u−1][s·j+v−1] over one image (stride s), in Double.
    private func naiveWeightGradient(_ x: Tensor, _ g: Tensor, adding dw: [Double], inputs: Int, outputs: Int, height: Int, width: Int,
                                     stride: Int = 1) -> [Double] {
        var expected = dw
        let (ho, wo) = ((height - 1) / stride + 1, (width - 1) / stride + 1)
        for o in 0..<outputs {
            for c in 0..<inputs {
                for t in 0..<9 {
                    let (u, v) = (t / 3, t % 3)
                    for i in 0..<ho {
                        for j in 0..<wo {
                            let (y, z) = (stride * i + u - 1, stride * j + v - 1)
                            guard y >= 0 && y < height && z >= 0 && z < width else { continue }
                            expected[(o * inputs + c) * 9 + t] += Double(g[flat: (o * ho + i) * wo + j]) * Double(x[flat: (c * height + y) * width + z])
                        }
                    }
                }
            }
        }
        return expected
    }

    @Test func weightGradientMatchesTheNaiveSum() {
        for kernel in Self.kernels {
            for (inputs, outputs, height, width) in Self.shapes {
                let x = randomTensor([inputs, height, width], seed: 10), g = randomTensor([outputs, height, width], seed: 11)
                let dw = randomTensor([outputs, inputs, 3, 3], seed: 12)
                let expected = naiveWeightGradient(x, g, adding: dw.values.map(Double.init), inputs: inputs, outputs: outputs, height: height, width: width)
                let scratch = Tensor(zeros: [directConvolutionScratch(kernel, inputs: inputs, outputs: outputs, height: height, width: width)])
                directWeightGradient(kernel, x.pointer, inputs: inputs, height: height, width: width, outputGradient: g.pointer, outputs: outputs,
                                     scratch: scratch.pointer, dw.pointer)
                #expect(maxScaledDifference(dw.values, expected.map(Float.init)) < 1e-5, "\(kernel) \(inputs)→\(outputs) \(height)×\(width)")
            }
        }
    }

    /// The pooled backward kernel (`fw_pooled_backward`, AVX-512) against the dense sums in
    /// Double over the unpooled gradient: weight, bias and input gradients, with and without the
    /// input gradient; one, two and three sixteen-channel blocks of input (with partial ones), an
    /// odd height, rows of 8, 10 and 34 pixels.
    @Test(.enabled(if: ConvolutionKernel.best == .avx512), arguments: [(16, 8, 8, 8), (20, 24, 7, 10), (40, 5, 6, 34)])
    func pooledBackwardMatchesTheUnpooledSums(shape: (inputs: Int, outputs: Int, height: Int, width: Int)) {
        let (inputs, outputs, height, width) = shape
        let windows = (height / 2) * (width / 2), plane = height * width
        let x = randomTensor([inputs, height, width], seed: 20), z = randomTensor([outputs, height, width], seed: 21)
        let dy = randomTensor([outputs, windows], seed: 22), w = randomTensor([outputs, inputs, 3, 3], seed: 23)
        let y = Tensor(zeros: [outputs, windows]), g = Tensor(zeros: [outputs, height, width])
        let idx = UnsafeMutablePointer<Int32>.allocate(capacity: outputs * windows)
        defer { idx.deallocate() }
        var bias = [Double](repeating: 0, count: outputs)
        for o in 0..<outputs {
            fw_max_pool2x2(0, z.pointer + o * plane, Int32(height), Int32(width), y.pointer + o * windows, idx + o * windows)
            bias[o] = Double(fw_unpool2x2_relu(0, dy.pointer + o * windows, y.pointer + o * windows, idx + o * windows, Int32(height), Int32(width),
                                               g.pointer + o * plane))
        }
        let dz = g.values
        let expectedDW = naiveWeightGradient(x, g, adding: [Double](repeating: 0, count: outputs * inputs * 9), inputs: inputs, outputs: outputs,
                                             height: height, width: width)
        var expectedDX = [Double](repeating: 0, count: inputs * plane)
        for c in 0..<inputs {
            for a in 0..<height {
                for b in 0..<width {
                    for o in 0..<outputs {
                        for t in 0..<9 {
                            let (i, j) = (a - t / 3 + 1, b - t % 3 + 1)
                            guard i >= 0 && i < height && j >= 0 && j < width else { continue }
                            expectedDX[(c * height + a) * width + b] += Double(w[flat: (o * inputs + c) * 9 + t]) * Double(dz[(o * height + i) * width + j])
                        }
                    }
                }
            }
        }
        let (cin, cout) = (Int32(inputs), Int32(outputs))
        var packed = [Float](repeating: 0, count: fw_pooled_backward_packed_count(cin, cout))
        fw_pooled_backward_pack(w.pointer, cin, cout, &packed)
        var scratch = [Float](repeating: 0, count: fw_pooled_backward_scratch_count(cin, cout, Int32(height), Int32(width)))
        for withInputGradient in [true, false] {
            var sums = [Float](repeating: 0, count: packed.count), db = [Float](repeating: 0, count: outputs)
            var dw = [Float](repeating: 0, count: outputs * inputs * 9), dx = [Float](repeating: 7, count: inputs * plane)
            dx.withUnsafeMutableBufferPointer { dxBuffer in
                fw_pooled_backward(x.pointer, cin, Int32(height), Int32(width), dy.pointer, y.pointer, idx, cout, packed, &scratch, &sums, &db,
                                   withInputGradient ? dxBuffer.baseAddress : nil)
            }
            fw_pooled_backward_unpack_add(&sums, cin, cout, &dw)
            #expect(maxScaledDifference(dw, expectedDW.map(Float.init)) < 1e-5, "\(shape) weight gradient")
            #expect(maxScaledDifference(db, bias.map(Float.init)) < 1e-5, "\(shape) bias gradient")
            #expect(sums.allSatisfy { $0 == 0 }, "unpacking zeros the sums")
            if withInputGradient {
                #expect(maxScaledDifference(dx, expectedDX.map(Float.init)) < 1e-5, "\(shape) input gradient")
            } else {
                #expect(dx.allSatisfy { $0 == 7 }, "no input gradient asked for, none written")
            }
        }
    }

    /// Winograd's weight gradient over three images in three slots (one kept by the forward pass,
    /// as training does) equals the naive sum over the three, added to what dW holds.
    @Test func winogradWeightGradientMatchesTheNaiveSum() {
        for kernel in Self.winogradKernels {
            winogradWeightGradientMatchesTheNaiveSum(kernel)
        }
    }

    private func winogradWeightGradientMatchesTheNaiveSum(_ kernel: ConvolutionKernel) {
        let isa = kernel.isaLevel
        for (inputs, outputs, height, width) in Self.winogradShapes {
            let images = 3, (h, w) = (Int32(height), Int32(width))
            let slot = fw_winograd_slot_count(isa, h, w), pitch = fw_winograd_pitch(isa, Int32(images), h, w)
            let points = Int(fw_winograd_points(isa, h, w))
            let xs = (0..<images).map { randomTensor([inputs, height, width], seed: 20 + UInt64($0)) }
            let gs = (0..<images).map { randomTensor([outputs, height, width], seed: 30 + UInt64($0)) }
            let dw = randomTensor([outputs, inputs, 3, 3], seed: 13)
            var expected = dw.values.map(Double.init)
            for (x, g) in zip(xs, gs) { expected = naiveWeightGradient(x, g, adding: expected, inputs: inputs, outputs: outputs, height: height, width: width) }
            let v = Tensor(zeros: [points * inputs * pitch]), gt = Tensor(zeros: [points * outputs * pitch])
            let scratch = Tensor(zeros: [directConvolutionScratch(kernel, inputs: inputs, outputs: outputs, height: height, width: width)])
            var packing = DirectConvolutionWeights()
            let packed = packing.forward(randomTensor([outputs, inputs, 3, 3], seed: 14), inputs: inputs, outputs: outputs, method: kernel,
                                         height: height, width: width)
            let y = Tensor(zeros: [outputs, height, width])
            fw_winograd_conv3x3_keeping(isa, xs[0].pointer, Int32(inputs), h, w, packed, Int32(outputs), nil, 0, scratch.pointer, v.pointer, pitch, y.pointer)
            for i in 1..<images {
                fw_winograd_transform_image(isa, xs[i].pointer, Int32(inputs), h, w, scratch.pointer, v.pointer + i * slot, pitch)
            }
            for i in 0..<images { fw_winograd_transform_gradient(isa, gs[i].pointer, Int32(outputs), h, w, gt.pointer + i * slot, pitch) }
            fw_winograd_weight_gradient(isa, gt.pointer, v.pointer, Int32(inputs), Int32(outputs), h, w, images * slot, pitch, scratch.pointer, dw.pointer)
            #expect(maxScaledDifference(dw.values, expected.map(Float.init)) < 1e-5, "\(kernel) \(inputs)→\(outputs) \(height)×\(width)")
        }
    }

    @Test func avx2AndAVX512GiveTheSameBits() {
        guard Self.kernels.count == 2 else { return }   // an AVX2-only CPU has one kernel to compare
        for (inputs, outputs, height, width) in Self.shapes {
            let x = randomTensor([inputs, height, width], seed: 7), w = randomTensor([outputs, inputs, 3, 3], seed: 8)
            let bias = randomTensor([outputs], seed: 9)
            let results = Self.kernels.map {
                convolve($0, x, weights: w, bias: bias, relu: true, inputs: inputs, outputs: outputs, height: height, width: width)
            }
            #expect(results[0] == results[1], "\(inputs)→\(outputs) \(height)×\(width)")
        }
    }

    @Test func aRequestedKernelTheCPUCannotRunFallsBack() {
        #expect(ConvolutionKernel.choose(requested: "im2col") == .im2col)
        #expect(ConvolutionKernel.choose(requested: "avx2") == (ConvolutionKernel.best == .im2col ? .im2col : .avx2))
        #expect(ConvolutionKernel.choose(requested: "avx512").isaLevel <= ConvolutionKernel.best.isaLevel)
        let winograd: ConvolutionKernel = [.im2col, .winogradAVX2, .winograd][Int(ConvolutionKernel.best.isaLevel)]
        #expect(ConvolutionKernel.choose(requested: "winograd") == winograd, "Winograd falls back to Winograd on AVX2")
        #expect(ConvolutionKernel.choose(requested: "winograd-avx2") == (ConvolutionKernel.best == .im2col ? .im2col : .winogradAVX2))
        #expect(ConvolutionKernel.choose(requested: nil) == winograd, "Winograd on the widest instruction set, by default")
    }

    /// By default an Intel CPU with AVX-512 trains on the direct AVX-512 kernel and infers on
    /// Winograd; every other CPU does both on Winograd; a requested kernel holds for both.
    @Test func intelAVX512TrainsOnTheDirectKernelByDefault() {
        #expect(ConvolutionKernel.choose(requested: nil, training: true, best: .avx512, intel: true) == .avx512)
        #expect(ConvolutionKernel.choose(requested: nil, training: false, best: .avx512, intel: true) == .winograd)
        #expect(ConvolutionKernel.choose(requested: nil, training: true, best: .avx512, intel: false) == .winograd)
        #expect(ConvolutionKernel.choose(requested: nil, training: true, best: .avx2, intel: true) == .winogradAVX2)
        #expect(ConvolutionKernel.choose(requested: "winograd", training: true, best: .avx512, intel: true) == .winograd)
        #expect(ConvolutionKernel.choose(requested: "im2col", training: true, best: .avx512, intel: true) == .im2col)
    }

    /// Under the default rule on an Intel CPU with AVX-512, layers with a harmonic mean of more than
    /// 64 input and output channels train on Winograd, the others on the direct kernel; a requested
    /// kernel (no per-layer rule) trains every layer it covers.
    @Test func intelAVX512TrainsLayersOfManyChannelsOnWinograd() {
        func kernel(_ inputs: Int, _ outputs: Int, size: Int = 32, stride: Int = 1, perLayer: Bool = true) -> ConvolutionKernel {
            let g = ConvolutionGeometry(channels: inputs, height: size, width: size, kernelHeight: 3, kernelWidth: 3, stride: stride, padding: 1)
            return ConvolutionKernel.trainingKernel(for: g, outputs: outputs, training: .avx512, perLayer: perLayer)
        }
        #expect(kernel(64, 128) == .winograd, "cnn-wide's last convolution")
        #expect(kernel(128, 128, size: 8) == .winograd)
        #expect(kernel(64, 64) == .avx512, "a harmonic mean of exactly 64")
        #expect(kernel(32, 64, size: 64) == .avx512)
        #expect(kernel(16, 16) == .avx512)
        #expect(kernel(64, 128, stride: 2) == .avx512, "Winograd runs stride 1 only")
        #expect(kernel(64, 128, size: 9) == .avx512, "Winograd needs even planes")
        #expect(kernel(64, 128, perLayer: false) == .avx512, "a requested kernel trains every layer")
        #expect(ConvolutionKernel.trainingKernel(for: ConvolutionGeometry(channels: 64, height: 32, width: 32, kernelHeight: 3, kernelWidth: 3,
                                                                          stride: 1, padding: 1),
                                                 outputs: 128, training: .winogradAVX2, perLayer: false) == .winogradAVX2)
    }

    /// Winograd runs where it covers a layer; odd planes and layers of few input channels fall to the
    /// direct kernel of the same instruction set.
    @Test func winogradRunsOnEvenPlanesOfEnoughChannels() {
        func geometry(_ channels: Int, _ height: Int, _ width: Int, stride: Int = 1) -> ConvolutionGeometry {
            ConvolutionGeometry(channels: channels, height: height, width: width, kernelHeight: 3, kernelWidth: 3, stride: stride, padding: 1)
        }
        #expect(ConvolutionKernel.winograd.runs(geometry(16, 32, 32)) == .winograd)
        #expect(ConvolutionKernel.winograd.runs(geometry(16, 9, 13)) == .avx512)
        #expect(ConvolutionKernel.winograd.runs(geometry(3, 32, 32)) == .avx512)
        #expect(ConvolutionKernel.winograd.runs(geometry(16, 32, 32, stride: 2)) == .avx512, "stride 2: the direct kernel")
        #expect(ConvolutionKernel.avx2.runs(geometry(16, 32, 32, stride: 2)) == .avx2)
        #expect(ConvolutionKernel.avx2.runs(geometry(16, 31, 32, stride: 2)) == .im2col, "odd planes")
        #expect(ConvolutionKernel.avx512.runs(geometry(16, 8, 8, stride: 2)) == .im2col, "4-pixel output rows")
        #expect(ConvolutionKernel.winogradAVX2.runs(geometry(16, 32, 32)) == .winogradAVX2)
        #expect(ConvolutionKernel.winogradAVX2.runs(geometry(3, 32, 32)) == .avx2)
        #expect(ConvolutionKernel.winogradAVX2.runs(geometry(16, 9, 13)) == .avx2)
        #expect(ConvolutionKernel.winogradAVX2.runs(geometry(16, 32, 32, stride: 2)) == .avx2, "stride 2: the direct AVX2 kernel")
    }

    /// F(4×4, 3×3) runs on AVX-512 where its tile rows fill whole vectors of sixteen tiles; every
    /// other plane, and every plane on AVX2, runs F(2×2, 3×3).
    @Test func theLargerTileRunsOnAVX512WhereItsTileRowsFillVectors() {
        for (height, width) in [(16, 16), (32, 32), (64, 64), (128, 128), (16, 32), (20, 48), (32, 16)] {
            #expect(fw_winograd_tile_size(2, Int32(height), Int32(width)) == 4, "\(height) × \(width)")
            #expect(fw_winograd_tile_size(1, Int32(height), Int32(width)) == 2, "AVX2, \(height) × \(width)")
        }
        for (height, width) in [(8, 8), (12, 12), (24, 16), (16, 18), (18, 16), (16, 8)] {
            #expect(fw_winograd_tile_size(2, Int32(height), Int32(width)) == 2, "\(height) × \(width)")
        }
        #expect(fw_winograd_points(2, 32, 32) == 36 && fw_winograd_points(2, 8, 8) == 16 && fw_winograd_points(1, 32, 32) == 16)
    }

    /// Stride 2: forward and weight gradient against the naive loops on each instruction set, on
    /// output rows of 8 (two per vector on AVX-512), 16 and 20 pixels (a partial last vector).
    @Test func strideTwoMatchesTheNaiveLoops() {
        for kernel in Self.kernels {
            for (inputs, outputs, height, width) in [(16, 32, 32, 32), (32, 20, 16, 16), (3, 9, 12, 40), (5, 8, 18, 16)] {
                let x = randomTensor([1, inputs, height, width], seed: 40), w = randomTensor([outputs, inputs, 3, 3], seed: 41)
                let bias = randomTensor([outputs], seed: 42)
                var packing = DirectConvolutionWeights()
                let packed = packing.forward(w, inputs: inputs, outputs: outputs, method: kernel, height: height, width: width)
                let scratch = Tensor(zeros: [directConvolutionScratch(kernel, inputs: inputs, outputs: outputs, height: height, width: width)])
                let y = Tensor(zeros: [outputs, height / 2, width / 2])
                directConvolution(kernel, x.pointer, inputs: inputs, height: height, width: width, stride: 2, packed: packed, outputs: outputs,
                                  bias: UnsafePointer(bias.pointer), relu: false, scratch: scratch.pointer, y.pointer)
                let slow = convolutionNaive(input: x, kernel: w, bias: bias, stride: 2, padding: 1)
                #expect(maxScaledDifference(y.values, slow) < 1e-5, "\(kernel) forward \(inputs)→\(outputs) \(height)×\(width)")
                let g = randomTensor([outputs, height / 2, width / 2], seed: 43), dw = randomTensor([outputs, inputs, 3, 3], seed: 44)
                let expected = naiveWeightGradient(x, g, adding: dw.values.map(Double.init), inputs: inputs, outputs: outputs,
                                                   height: height, width: width, stride: 2)
                directWeightGradient(kernel, x.pointer, inputs: inputs, height: height, width: width, stride: 2, outputGradient: g.pointer,
                                     outputs: outputs, scratch: scratch.pointer, dw.pointer)
                #expect(maxScaledDifference(dw.values, expected.map(Float.init)) < 1e-5, "\(kernel) weight gradient \(inputs)→\(outputs) \(height)×\(width)")
            }
        }
    }

    /// The stride-2 input gradient in four phases against the naive sum, on output rows of 8
    /// (two per vector), 16, 24 (vectors that straddle rows) and 32 pixels, one output row, and
    /// input channels that leave a partial block of four; and the shapes it leaves to col2im.
    @Test(.enabled(if: ConvolutionKernel.best == .avx512)) func strideTwoInputGradientMatchesTheNaiveSum() {
        for (inputs, outputs, height, width) in [(16, 32, 32, 32), (32, 64, 16, 16), (6, 5, 10, 48), (3, 7, 18, 16), (5, 3, 2, 64), (2, 9, 64, 64)] {
            let g = randomTensor([outputs, height / 2, width / 2], seed: 45), w = randomTensor([outputs, inputs, 3, 3], seed: 46)
            let packed = Tensor(zeros: [fw_conv3x3_stride2_input_gradient_packed_count(Int32(inputs), Int32(outputs))])
            fw_conv3x3_stride2_input_gradient_pack(w.pointer, Int32(inputs), Int32(outputs), packed.pointer)
            let dx = Tensor(zeros: [inputs, height, width])
            dx.pointer.update(repeating: .nan, count: dx.count)   // every pixel must be written
            fw_conv3x3_stride2_input_gradient(g.pointer, Int32(outputs), Int32(height), Int32(width), packed.pointer, Int32(inputs), dx.pointer)
            var expected = [Double](repeating: 0, count: dx.count)
            for c in 0..<inputs {
                for o in 0..<outputs {
                    for t in 0..<9 {
                        for i in 0..<height / 2 {
                            for j in 0..<width / 2 {
                                let (y, z) = (2 * i + t / 3 - 1, 2 * j + t % 3 - 1)
                                guard y >= 0 && z >= 0 else { continue }
                                expected[(c * height + y) * width + z] += Double(w[flat: (o * inputs + c) * 9 + t]) * Double(g[flat: (o * height / 2 + i) * width / 2 + j])
                            }
                        }
                    }
                }
            }
            #expect(dx.values.allSatisfy { $0.isFinite }, "\(inputs)←\(outputs) \(height)×\(width): pixels left unwritten")
            #expect(maxScaledDifference(dx.values, expected.map(Float.init)) < 1e-5, "\(inputs)←\(outputs) \(height)×\(width)")
        }
        for (height, width) in [(16, 8), (12, 40), (15, 32), (16, 24)] {
            #expect(fw_conv3x3_stride2_input_gradient_covers(Int32(height), Int32(width)) == 0, "\(height) × \(width)")
        }
    }
}
