import CConvolution
import Foundation

/// Which kernel runs the 3×3, padding-1 convolutions (the shape of nearly every layer the
/// experiments train): Flywheel's own kernels (`CConvolution`) on the widest instruction set the
/// CPU has, AVX-512 or AVX2 — Winograd for stride-1 layers of even planes with at least
/// `winogradInputs` input channels (forward, input and weight gradient; F(4×4, 3×3) on AVX-512
/// where `fw_winograd_tile_size` says its tiles fit the plane, else F(2×2, 3×3)), the direct kernel
/// for the other stride-1 layers and for stride 2 — or im2col + OpenBLAS sgemm, which runs every
/// other shape, and every convolution on CPUs without AVX2.
/// By default Winograd on the widest instruction set, in inference and in training, except that
/// an Intel CPU with AVX-512 trains on the direct AVX-512 kernel all layers but those with many
/// channels on both sides (`trainingKernel(for:outputs:)`). The rule goes by the CPU's vendor,
/// instruction sets and the layer's shape (no timing at run time, so training stays deterministic
/// for a machine) and follows what was measured with `flywheel bench`, one thread:
/// - AMD Zen 4, against the direct AVX-512 kernel: cnn-deep-32 trains 13% faster on Winograd,
///   the reference network 12%, resnet-8-32 6%, inference 28%; on AVX2 (emulated: OpenBLAS's
///   Haswell kernel) against im2col + sgemm, cnn-deep-32 trains at 1612 img/s against 963,
///   resnet-8-32 961 against 647, the reference network 1418 against 1019.
/// - Intel Xeon (Emerald Rapids, two 512-bit FMA pipes a core, where Zen 4 has the width of one):
///   the direct AVX-512 kernel trained 11–14% faster than Winograd (medians of 8 alternating runs;
///   the FMAs Winograd saves cost half as much there, while its kept transforms cost the same
///   memory traffic), and Winograd inferred 7–25% faster (README, "Throughput"). Layer by layer
///   (`flywheel bench --profile`, medians of 5 alternating runs), Winograd trained the wide
///   network's 64 → 128-channel layer in 0.75 of the direct kernel's time, 64 → 64 and 32 → 64 on
///   64-pixel planes in 0.97–1.02, and layers of 16 or 32 channels on either side in 1.11–1.47.
///   On AVX2 the two were within that machine's noise.
/// `FLYWHEEL_CONVOLUTION=im2col|avx2|avx512|winograd|winograd-avx2` overrides the choice in both
/// (for tests and for benchmarking the candidates side by side); a kernel the CPU cannot run falls
/// back to the widest it can (Winograd to Winograd on AVX2).
public enum ConvolutionKernel: String, Sendable, CaseIterable {
    case im2col
    case avx2
    case avx512
    /// Winograd on AVX-512.
    case winograd
    case winogradAVX2 = "winograd-avx2"

    /// The kernel this process infers with.
    public static let current: ConvolutionKernel = choose(requested: requested)

    /// The kernel this process trains with (forward and backward passes in training mode), except
    /// for the layers `trainingKernel(for:outputs:)` moves to Winograd.
    public static let training: ConvolutionKernel = choose(requested: requested, training: true)

    /// Whether training chooses Winograd layer by layer: under the default rule, where it put
    /// training on the direct kernel (an Intel CPU with AVX-512).
    static let trainsWideLayersOnWinograd = requested == nil && training != current

    /// `current`, and `training` where it differs, as trial files record them ("winograd",
    /// "winograd, training avx512 (winograd over 64 channels)").
    public static var description: String {
        guard training != current else { return current.rawValue }
        let wide = trainsWideLayersOnWinograd ? " (winograd over \(winogradTrainingChannels) channels)" : ""
        return "\(current.rawValue), training \(training.rawValue)\(wide)"
    }

    /// The kernel that trains convolution `g` to `outputs` channels: `training` where it covers
    /// the layer; but where `perLayer` (the default rule on an Intel CPU with AVX-512), Winograd
    /// for layers whose input and output channels have a harmonic mean above
    /// `winogradTrainingChannels`, where the multiplications Winograd saves outweigh its transforms
    /// (those grow with the sum of the channels, the multiplications with their product).
    static func trainingKernel(for g: ConvolutionGeometry, outputs: Int, training: ConvolutionKernel = training,
                               perLayer: Bool = trainsWideLayersOnWinograd) -> ConvolutionKernel {
        let wide = 2 * g.channels * outputs > winogradTrainingChannels * (g.channels + outputs)
        return (perLayer && wide ? training.winograd : training).runs(g)
    }

    /// The harmonic mean of a layer's input and output channels above which the per-layer rule
    /// trains it on Winograd: 64 → 64 tied (0.97–1.02 of the direct kernel's time), 64 → 128 (85)
    /// won by a quarter.
    static let winogradTrainingChannels = 64

    private static let requested = ProcessInfo.processInfo.environment["FLYWHEEL_CONVOLUTION"]

    /// The widest direct kernel this CPU runs.
    public static let best: ConvolutionKernel = [.im2col, .avx2, .avx512][Int(fw_conv3x3_best_isa())]

    /// Whether the CPU is Intel's.
    static let intel = fw_cpu_is_intel() != 0

    /// The kernel for `requested` (FLYWHEEL_CONVOLUTION; nil: the default rule above) on a CPU
    /// whose widest direct kernel is `best`, for training or inference.
    static func choose(requested: String?, training: Bool = false, best: ConvolutionKernel = best,
                       intel: Bool = intel) -> ConvolutionKernel {
        guard let requested, let kernel = ConvolutionKernel(rawValue: requested) else {
            return training && intel && best == .avx512 ? best : best.winograd
        }
        if kernel.isaLevel <= best.isaLevel { return kernel }
        return kernel.isWinograd ? best.winograd : best
    }

    /// Winograd on this kernel's instruction set (im2col without one).
    var winograd: ConvolutionKernel { [.im2col, .winogradAVX2, .winograd][Int(isaLevel)] }

    /// The direct kernel of this kernel's instruction set (im2col without one).
    var direct: ConvolutionKernel { [.im2col, .avx2, .avx512][Int(isaLevel)] }

    /// The instruction set the kernel needs, as `fw_conv3x3_best_isa` counts (0: im2col).
    var isaLevel: Int32 {
        switch self { case .im2col: 0; case .avx2, .winogradAVX2: 1; case .avx512, .winograd: 2 }
    }

    /// Whether this is Winograd (on either instruction set).
    var isWinograd: Bool { self == .winograd || self == .winogradAVX2 }

    /// The narrowest row the direct kernels run (AVX2's vector and AVX-512's half vector, which
    /// holds one of two rows); narrower rows, where most lanes would idle, run im2col.
    static let narrowestRow = 8

    /// The kernel that computes convolution `g` when this one is chosen: itself where it covers
    /// `g` (3×3, stride 1, padding 1, rows of at least `narrowestRow`), im2col elsewhere. Winograd
    /// also needs an even height and width and at least `winogradInputs` input channels (with
    /// fewer, its transforms cost more than the multiplies they save); else the direct kernel of
    /// the same instruction set runs. 3×3 stride-2 layers of even planes with output rows of at
    /// least `narrowestRow` run on the direct kernel of the chosen instruction set (forward, the
    /// weight gradient where `computesWeightGradient` says, the input gradient where
    /// `computesStride2InputGradient` does; elsewhere sgemm + col2im).
    func runs(_ g: ConvolutionGeometry) -> ConvolutionKernel {
        guard self != .im2col, g.kernelHeight == 3, g.kernelWidth == 3, g.padding == 1,
              g.outputWidth >= Self.narrowestRow else { return .im2col }
        if g.stride == 2 { return g.height % 2 == 0 && g.width % 2 == 0 ? direct : .im2col }
        guard g.stride == 1 else { return .im2col }
        if isWinograd && (g.height % 2 != 0 || g.width % 2 != 0 || g.channels < Self.winogradInputs) { return direct }
        return self
    }

    /// The fewest input channels Winograd runs.
    static let winogradInputs = 8

    /// Whether this kernel also computes the weight gradient of `g` (by the direct kernel of its
    /// instruction set): on AVX-512 every row the direct kernels run (one output channel a lane, no
    /// sum crosses lanes; on the Intel Xeon, `flywheel bench`, resnet-8-32 and cnn-deep-32 trained
    /// 3–12% faster than with 8 × 8 planes on im2col + sgemm), on AVX2 output rows of 16 pixels or
    /// more (its sums run along the row, and on narrower rows adding up their lanes costs more than
    /// the sums: the AVX-512 kernel that did so was 23% slower than im2col + sgemm on 8 × 8 planes).
    func computesWeightGradient(_ g: ConvolutionGeometry) -> Bool { isaLevel == 2 || (isaLevel >= 1 && g.outputWidth >= 16) }

    /// Whether this kernel also computes the input gradient of `g`, a stride-2 layer it runs, in
    /// four phases (`fw_conv3x3_stride2_input_gradient`): on AVX-512, for output rows of a multiple
    /// of 8 pixels. Elsewhere sgemm multiplies the output gradient into columns and col2im adds
    /// them back into the image: the same multiply-adds, then a scatter the phases do not need
    /// (with the shortcuts' vectorised copies, resnet-8-32 trained 4% faster, resnet-8-128 9% and
    /// resnet-18-128-rgb 13%: medians of three alternating `flywheel bench` runs, one thread, Zen 4).
    func computesStride2InputGradient(_ g: ConvolutionGeometry) -> Bool {
        isaLevel == 2 && g.stride == 2 && runs(g) != .im2col && fw_conv3x3_stride2_input_gradient_covers(Int32(g.height), Int32(g.width)) != 0
    }
}

/// A convolution's weights packed for the direct or Winograd kernel, forward and adjoint (input gradient).
struct DirectConvolutionWeights {
    private var forwardBuffer = Workspace(), adjointBuffer = Workspace()

    /// `kernel` (outputs, inputs, 3, 3) packed for the forward pass of `method` on `height` ×
    /// `width` planes (which fix Winograd's tile).
    mutating func forward(_ kernel: Tensor, inputs: Int, outputs: Int, method: ConvolutionKernel, height: Int, width: Int) -> UnsafePointer<Float> {
        pack(kernel, inputs: inputs, outputs: outputs, adjoint: false, method: method, plane: (height, width), into: &forwardBuffer)
    }

    /// `kernel` packed for the stride-2 input gradient (`fw_conv3x3_stride2_input_gradient`).
    mutating func stride2InputGradient(_ kernel: Tensor, inputs: Int, outputs: Int) -> UnsafePointer<Float> {
        let packed = adjointBuffer.tensor([fw_conv3x3_stride2_input_gradient_packed_count(Int32(inputs), Int32(outputs))])
        fw_conv3x3_stride2_input_gradient_pack(kernel.pointer, Int32(inputs), Int32(outputs), packed.pointer)
        return UnsafePointer(packed.pointer)
    }

    /// `kernel` packed so the forward kernel of `method` maps an output gradient to the input gradient.
    mutating func adjoint(_ kernel: Tensor, inputs: Int, outputs: Int, method: ConvolutionKernel, height: Int, width: Int) -> UnsafePointer<Float> {
        pack(kernel, inputs: inputs, outputs: outputs, adjoint: true, method: method, plane: (height, width), into: &adjointBuffer)
    }

    private func pack(_ kernel: Tensor, inputs: Int, outputs: Int, adjoint: Bool, method: ConvolutionKernel, plane: (height: Int, width: Int),
                      into buffer: inout Workspace) -> UnsafePointer<Float> {
        let (from, to) = adjoint ? (Int32(outputs), Int32(inputs)) : (Int32(inputs), Int32(outputs))
        if method.isWinograd {
            let (isa, h, w) = (method.isaLevel, Int32(plane.height), Int32(plane.width))
            let packed = buffer.tensor([fw_winograd_packed_count(isa, from, to, h, w)])
            fw_winograd_pack(isa, kernel.pointer, Int32(inputs), Int32(outputs), adjoint ? 1 : 0, h, w, packed.pointer)
            return UnsafePointer(packed.pointer)
        }
        let packed = buffer.tensor([fw_conv3x3_packed_count(from, to)])
        fw_conv3x3_pack(kernel.pointer, Int32(inputs), Int32(outputs), adjoint ? 1 : 0, packed.pointer)
        return UnsafePointer(packed.pointer)
    }
}

/// Floats of per-worker scratch `method` needs for a layer of `inputs` → `outputs` channels on
/// `height` × `width` planes, forward, input gradient and weight gradient alike.
func directConvolutionScratch(_ method: ConvolutionKernel, inputs: Int, outputs: Int, height: Int, width: Int) -> Int {
    let (h, w) = (Int32(height), Int32(width))
    let direct = max(fw_conv3x3_scratch_count(Int32(max(inputs, outputs)), h, w),
                     fw_conv3x3_weight_gradient_scratch_count(Int32(inputs), Int32(outputs), h, w))
    guard method.isWinograd else { return direct }
    let isa = method.isaLevel
    return max(direct, fw_winograd_scratch_count(isa, Int32(inputs), Int32(outputs), h, w), fw_winograd_scratch_count(isa, Int32(outputs), Int32(inputs), h, w),
               fw_winograd_weight_gradient_scratch_count(isa, Int32(inputs), Int32(outputs), h, w))
}

/// The direct (or Winograd) 3×3 convolution of one image `x` (inputs, H, W) into `y` (outputs,
/// H / stride, W / stride), stride 1 or (direct kernels only) 2.
@inline(__always)
func directConvolution(_ kernel: ConvolutionKernel, _ x: UnsafePointer<Float>, inputs: Int, height: Int, width: Int, stride: Int = 1,
                       packed: UnsafePointer<Float>, outputs: Int, bias: UnsafePointer<Float>?, relu: Bool,
                       scratch: UnsafeMutablePointer<Float>, _ y: UnsafeMutablePointer<Float>) {
    if stride == 2 {
        fw_conv3x3_stride2(kernel.isaLevel, x, Int32(inputs), Int32(height), Int32(width), packed, Int32(outputs), bias, relu ? 1 : 0, scratch, y)
    } else if kernel.isWinograd {
        fw_winograd_conv3x3(kernel.isaLevel, x, Int32(inputs), Int32(height), Int32(width), packed, Int32(outputs), bias, relu ? 1 : 0, scratch, y)
    } else {
        fw_conv3x3(kernel.isaLevel, x, Int32(inputs), Int32(height), Int32(width), packed, Int32(outputs), bias, relu ? 1 : 0, scratch, y)
    }
}

/// Adds one image's weight gradient to `dw` (outputs, inputs, 3, 3) by the direct kernel of
/// `kernel`'s instruction set (stride 1 or 2; `height` and `width` the input's).
@inline(__always)
func directWeightGradient(_ kernel: ConvolutionKernel, _ x: UnsafePointer<Float>, inputs: Int, height: Int, width: Int, stride: Int = 1,
                          outputGradient g: UnsafePointer<Float>, outputs: Int, scratch: UnsafeMutablePointer<Float>,
                          _ dw: UnsafeMutablePointer<Float>) {
    if stride == 2 {
        fw_conv3x3_stride2_weight_gradient(kernel.isaLevel, x, Int32(inputs), Int32(height), Int32(width), g, Int32(outputs), scratch, dw)
    } else {
        fw_conv3x3_weight_gradient(kernel.isaLevel, x, Int32(inputs), Int32(height), Int32(width), g, Int32(outputs), scratch, dw)
    }
}
