/// The floating-point operations a layer's kernels execute, beside the convention every peer
/// reports (2 FLOPs per multiply–accumulate of the direct convolution, training = 3 × forward).
///
/// The two differ where Winograd F(2×2, 3×3) runs: per 2 × 2 output tile it multiplies 16
/// transformed values per channel pair where the direct convolution multiplies 36, and adds its
/// transforms (counted as their additions: 32 for an input tile, 24 for an output tile, 12 for an
/// output-gradient tile, per channel). A rate of convention FLOPs ("effective GFLOP/s") can then
/// pass the machine's FMA peak; a rate of executed FLOPs cannot, and its fraction of the peak is
/// how far the kernels are from the physical limit. Not counted, by either: biases, activations,
/// pooling, batch norm, the padding lanes of vector blocks, and the per-batch weight transforms.
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
        guard kernel.runs(g).isWinograd else { return direct }
        let tiles = (g.outputHeight / 2) * (g.outputWidth / 2), (inputs, product) = (g.channels, 2 * 16 * g.channels * outputs)
        let forward = 32 * inputs + product + 24 * outputs
        guard mode == .training else { return tiles * forward }
        let weightGradient = 12 * outputs + product
        let inputGradientFLOPs = inputGradient ? 32 * outputs + product + 24 * inputs : 0
        return tiles * (forward + weightGradient + inputGradientFLOPs)
    }
}
