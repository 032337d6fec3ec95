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

    /// 16 → 32 channels on 16 × 16: 64 tiles; forward 32·16 + 2·16·16·32 + 24·32 per tile, the weight
    /// gradient 12·32 + 2·16·16·32, the input gradient 32·32 + 2·16·16·32 + 24·16.
    @Test func winogradCountsItsProductsAndTransformsPerTile() {
        let g = geometry(channels: 16, plane: 16)
        let forward = 32 * 16 + 16_384 + 24 * 32, weightGradient = 12 * 32 + 16_384, inputGradient = 32 * 32 + 16_384 + 24 * 16
        #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winogradAVX2, .inference, inputGradient: true) == 64 * forward)
        #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: true)
                == 64 * (forward + weightGradient + inputGradient))
        #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: false) == 64 * (forward + weightGradient))
        let share = Double(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: true)) / Double(6 * 16 * 16 * 32 * 144)
        #expect(share > 16.0 / 36 && share < 0.5, "\(share)")   // the products' 16/36, plus the transforms
    }

    @Test func winogradOnALayerItDoesNotCoverCountsTheDirectKernelsFLOPs() {
        for g in [geometry(channels: 16, plane: 15), geometry(channels: 16, plane: 16, stride: 2), geometry(channels: 4, plane: 16)] {
            let macs = g.outputPlane * 32 * g.patchSize
            #expect(ExecutedFLOPs.convolution(g, outputs: 32, kernel: .winograd, .training, inputGradient: true) == 6 * macs, "\(g)")
        }
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
