import CConvolution

/// The floating-point operations a layer's kernels execute, beside the convention every peer
/// reports (2 FLOPs per multiply–accumulate of the direct convolution, training = 3 × forward).
///
/// The two differ where Winograd runs: per m × m output tile it multiplies (m + 2)² transformed
/// values per channel pair where the direct convolution multiplies 9m² (F(2×2, 3×3): 16 against
/// 36; F(4×4, 3×3): 36 against 144), and adds its transforms (counted as the kernels' adds,
/// multiplies and FMAs at 2: per channel, F(2×2)'s 32 for an input tile, 24 for an output tile, 12
/// for an output-gradient tile; F(4×4)'s 228, 130 and 120). A rate of convention FLOPs ("effective
/// GFLOP/s") can then pass the machine's FMA peak; a rate of executed FLOPs cannot, and its
/// fraction of the peak is how far the kernels are from the physical limit. Not counted, by
/// either: biases, activations, pooling, batch norm, the padding lanes of vector blocks, and the
/// per-batch weight transforms.
public enum ExecutedFLOPs {
    /// FLOPs of a layer that multiplies as the convention counts: 2 per multiply–accumulate
    /// forward; in training 2 more for the weight gradient and 2 for the input gradient when the
    /// layer computes it (not the first layer's).
    public static func asMultiplied(_ multiplyAccumulates: Int, _ mode: Mode, inputGradient: Bool) -> Int {
        mode == .inference ? 2 * multiplyAccumulates : (inputGradient ? 6 : 4) * multiplyAccumulates
    }

    /// FLOPs of one image through convolution `g` → `outputs` channels on `kernel` (the kernel
    /// `ConvolutionKernel.runs` chooses for it): Winograd's products and transforms where it runs,
    /// the convention's count elsewhere (direct kernels and im2col + sgemm multiply every tap).
    /// Winograd in training keeps the forward pass's input transforms and transforms the output
    /// gradient once for both the weight and the input gradient.
    public static func convolution(_ g: ConvolutionGeometry, outputs: Int, kernel: ConvolutionKernel, _ mode: Mode,
                                   inputGradient: Bool) -> Int {
        let direct = asMultiplied(g.outputPlane * outputs * g.patchSize, mode, inputGradient: inputGradient)
        let runs = kernel.runs(g)
        guard runs.isWinograd else { return direct }
        let side = Int(fw_winograd_tile_size(runs.isaLevel, Int32(g.outputHeight), Int32(g.outputWidth)))
        let transforms = side == 4 ? (input: 228, output: 130, gradient: 120) : (input: 32, output: 24, gradient: 12)
        let tiles = (g.outputHeight / side) * (g.outputWidth / side), points = (side + 2) * (side + 2)
        let (inputs, product) = (g.channels, 2 * points * g.channels * outputs)
        let forward = transforms.input * inputs + product + transforms.output * outputs
        guard mode == .training else { return tiles * forward }
        let weightGradient = transforms.gradient * outputs + product
        let inputGradientFLOPs = inputGradient ? transforms.input * outputs + product + transforms.output * inputs : 0
        return tiles * (forward + weightGradient + inputGradientFLOPs)
    }
}
