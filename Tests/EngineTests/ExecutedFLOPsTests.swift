@testable import Engine
import Testing

/// The FLOPs the kernels execute, against the convention's count (2 per multiply–accumulate of the
/// direct convolution, training = 3 × forward) that a rate of "effective" GFLOP/s is taken of.
@Suite struct ExecutedFLOPsTests {
    private func geometry(channels: Int, plane: Int, stride: Int = 1) -> ConvolutionGeometry {
        ConvolutionGeometry(channels: channels, height: plane, width: plane, kernelHeight: 3, kernelWidth: 3, stride: stride, padding: 1)
    }

    @Test func directKernelsExecuteWhatTheConventionCounts() {
        let g = geometry(channels: 16, plane: 16), macs = 16 * 16 * 32 * 16 * 9
        for kernel in [ConvolutionKernel.im2col, .avx2, .avx512] {
            #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: kernel, .training, inputGradient: true) == 6 * macs)
            #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: kernel, .training, inputGradient: false) == 4 * macs)
            #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: kernel, .inference, inputGradient: true) == 2 * macs)
        }
    }

    /// F(2×2, 3×3), 16 → 32 channels: on 16 × 16 (AVX2) 64 tiles, on 12 × 12 (AVX-512, a plane
    /// F(4×4) does not cover) 36; forward 32·16 + 2·16·16·32 + 24·32 per tile, the weight gradient
    /// 12·32 + 2·16·16·32, the input gradient 32·32 + 2·16·16·32 + 24·16.
    @Test func winogradCountsItsProductsAndTransformsPerTile() {
        let forward = 32 * 16 + 16_384 + 24 * 32, weightGradient = 12 * 32 + 16_384, inputGradient = 32 * 32 + 16_384 + 24 * 16
        #expect(ExecutedFLOPs.convolution(geometry(channels: 16, plane: 16), outputs: 32, kernel: .winogradAVX2, .inference, inputGradient: true)
                == 64 * forward)
        let g = geometry(channels: 16, plane: 12)
        #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: true)
                == 36 * (forward + weightGradient + inputGradient))
        #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: false) == 36 * (forward + weightGradient))
        let share = Double(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: true)) / Double(6 * 12 * 12 * 32 * 144)
        #expect(share > 16.0 / 36 && share < 0.5, "\(share)")   // the products' 16/36, plus the transforms
    }

    /// F(4×4, 3×3) on AVX-512, 16 → 32 channels on 16 × 16: 16 tiles; forward 228·16 + 2·36·16·32 +
    /// 130·32 per tile, the weight gradient 120·32 + 2·36·16·32, the input gradient 228·32 +
    /// 2·36·16·32 + 130·16: under a third of the convention's count.
    @Test func theLargerTileCountsItsThirtySixPointsAndItsTransforms() {
        let g = geometry(channels: 16, plane: 16), product = 2 * 36 * 16 * 32
        let forward = 228 * 16 + product + 130 * 32, weightGradient = 120 * 32 + product, inputGradient = 228 * 32 + product + 130 * 16
        let executed = ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: true)
        #expect(executed == 16 * (forward + weightGradient + inputGradient))
        #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .inference, inputGradient: true) == 16 * forward)
        let share = Double(executed) / Double(6 * 16 * 16 * 32 * 144)
        #expect(share > 36.0 / 144 && share < 1.0 / 3, "\(share)")   // the products' 36/144, plus the transforms
    }

    @Test func winogradOnALayerItDoesNotCoverCountsTheDirectKernelsFLOPs() {
        for g in [geometry(channels: 16, plane: 15), geometry(channels: 16, plane: 16, stride: 2), geometry(channels: 4, plane: 16)] {
            let macs = g.outputPlane * 32 * g.patchSize
            #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: true) == 6 * macs, "\(g)")
        }
    }

    /// Where the pooled layer's backward visits only the passing windows (AVX-512), it multiplies at
    /// one pixel of each 2 × 2 window at most: a quarter of the dense backward beside the forward
    /// pass; elsewhere the convolution's whole count.
    @Test func aPooledLayerCountsAQuarterOfTheDenseBackward() throws {
        let layer = try ConvReLUMaxPool(inputChannels: 16, outputChannels: 32, kernelSize: 3, padding: 1)
        _ = try layer.connect(to: [16, 16, 16])
        let g = geometry(channels: 16, plane: 16), kernel = layer.convolution.convolutionKernel(.training)
        let whole = ExecutedFLOPs.convolution(g, outputs: 32, kernel: kernel, .training, inputGradient: true)
        let forward = ExecutedFLOPs.convolution(g, outputs: 32, kernel: kernel, .inference, inputGradient: true)
        let denseBackward = 4 * g.outputPlane * 32 * g.patchSize
        #expect(layer.executedFLOPs(.training) == (PooledBackward.applies(kernel, g) ? forward + denseBackward / 4 : whole))
    }

    /// A model's count is its layers' on this machine's kernels: never above the convention, below it
    /// by the first layer's input gradient at least, and by more where this CPU trains on Winograd.
    @Test func aModelExecutesAtMostTheConventionsCount() throws {
        let model = try ModelSpec(architecture: .cnnDeep, inputChannels: 1, imageSize: 32, classes: 6).build(seed: 1)
        #expect(model.executedTrainingFLOPsPerSample == model.layers.reduce(0) { $0 + $1.executedFLOPs(.training) })
        let first = model.layers[0].multiplyAccumulates
        #expect(model.executedTrainingFLOPsPerSample <= model.trainingFLOPsPerSample - 2 * first)
        #expect(model.executedInferenceFLOPsPerSample <= model.inferenceFLOPsPerSample)
        if ConvolutionKernel.training.isWinograd {
            #expect(Double(model.executedTrainingFLOPsPerSample) < 0.8 * Double(model.trainingFLOPsPerSample))
        }
    }
}
