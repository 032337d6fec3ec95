import CConvolution
import Foundation

/// Which kernel runs the 3×3, stride-1, padding-1 convolutions (the shape of nearly every layer
/// the experiments train): Flywheel's own direct kernels (`CConvolution`, vectorised for AVX-512
/// or AVX2), or im2col + OpenBLAS sgemm. Other shapes always use im2col + sgemm. By default the
/// AVX-512 kernel where the CPU has it, else im2col: measured with OpenBLAS's Haswell kernel, the
/// AVX2 direct kernel trains 5–10% slower than im2col + sgemm, so it is not the default.
/// `FLYWHEEL_CONVOLUTION=im2col|avx2|avx512` overrides the choice (for tests and for benchmarking
/// the candidates side by side); a kernel the CPU cannot run falls back to the widest it can.
public enum ConvolutionKernel: String, Sendable, CaseIterable {
    case im2col
    case avx2
    case avx512

    /// The kernel this process uses.
    public static let current: ConvolutionKernel = choose(requested: ProcessInfo.processInfo.environment["FLYWHEEL_CONVOLUTION"])

    /// The widest kernel this CPU runs.
    public static let best: ConvolutionKernel = [.im2col, .avx2, .avx512][Int(fw_conv3x3_best_isa())]

    static func choose(requested: String?) -> ConvolutionKernel {
        guard let requested, let kernel = ConvolutionKernel(rawValue: requested) else { return best == .avx512 ? .avx512 : .im2col }
        return kernel.isaLevel <= best.isaLevel ? kernel : best
    }

    /// The `isa` argument of `fw_conv3x3` (0: im2col).
    var isaLevel: Int32 {
        switch self { case .im2col: 0; case .avx2: 1; case .avx512: 2 }
    }

    /// The narrowest row the direct kernels run (AVX2's vector and AVX-512's half vector, which
    /// holds one of two rows); narrower rows, where most lanes would idle, run im2col.
    static let narrowestRow = 8

    /// Whether this kernel computes the convolution `g`: 3×3, stride 1, padding 1, rows of at least `narrowestRow`.
    func covers(_ g: ConvolutionGeometry) -> Bool {
        self != .im2col && g.kernelHeight == 3 && g.kernelWidth == 3 && g.stride == 1 && g.padding == 1 && g.width >= Self.narrowestRow
    }

    /// Whether this kernel also computes the weight gradient of `g`: AVX-512 on rows of 16 pixels
    /// or more. On narrower rows adding up each sum's lanes costs more than the sums (measured: 23%
    /// slower than im2col + sgemm on 8 × 8 planes); AVX2 keeps im2col + sgemm for it.
    func computesWeightGradient(_ g: ConvolutionGeometry) -> Bool { self == .avx512 && g.width >= 16 }
}

/// A convolution's weights packed for the direct kernel, forward and adjoint (input gradient).
struct DirectConvolutionWeights {
    private var forwardBuffer = Workspace(), adjointBuffer = Workspace()

    /// `kernel` (outputs, inputs, 3, 3) packed for the forward pass.
    mutating func forward(_ kernel: Tensor, inputs: Int, outputs: Int) -> UnsafePointer<Float> {
        let packed = forwardBuffer.tensor([fw_conv3x3_packed_count(Int32(inputs), Int32(outputs))])
        fw_conv3x3_pack(kernel.pointer, Int32(inputs), Int32(outputs), 0, packed.pointer)
        return UnsafePointer(packed.pointer)
    }

    /// `kernel` packed so the forward kernel maps an output gradient to the input gradient.
    mutating func adjoint(_ kernel: Tensor, inputs: Int, outputs: Int) -> UnsafePointer<Float> {
        let packed = adjointBuffer.tensor([fw_conv3x3_packed_count(Int32(outputs), Int32(inputs))])
        fw_conv3x3_pack(kernel.pointer, Int32(inputs), Int32(outputs), 1, packed.pointer)
        return UnsafePointer(packed.pointer)
    }
}

/// Floats of per-worker scratch the direct kernel needs for an image of `channels` × `height` × `width`.
func directConvolutionScratch(channels: Int, height: Int, width: Int) -> Int {
    fw_conv3x3_scratch_count(Int32(channels), Int32(height), Int32(width))
}

/// The direct 3×3 convolution of one image `x` (inputs, H, W) into `y` (outputs, H, W).
@inline(__always)
func directConvolution(_ kernel: ConvolutionKernel, _ x: UnsafePointer<Float>, inputs: Int, height: Int, width: Int,
                       packed: UnsafePointer<Float>, outputs: Int, bias: UnsafePointer<Float>?, relu: Bool,
                       scratch: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    fw_conv3x3(kernel.isaLevel, x, Int32(inputs), Int32(height), Int32(width), packed, Int32(outputs), bias, relu ? 1 : 0, scratch, y)
}

/// Adds one image's weight gradient to `dw` (outputs, inputs, 3, 3) by the direct AVX-512 kernel.
@inline(__always)
func directWeightGradient(_ x: UnsafePointer<Float>, inputs: Int, height: Int, width: Int, outputGradient g: UnsafePointer<Float>,
                          outputs: Int, scratch: UnsafeMutablePointer<Float>, _ dw: UnsafeMutablePointer<Float>) {
    fw_conv3x3_weight_gradient(x, Int32(inputs), Int32(height), Int32(width), g, Int32(outputs), scratch, dw)
}
