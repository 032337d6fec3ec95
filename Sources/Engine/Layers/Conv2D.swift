import CConvolution

/// 2-D convolution: `y[n, o, i, j] = b[o] + Σ_{c, u, v} w[o, c, u, v] · x[n, c, i·s + u − p, j·s + v − p]`,
/// optionally followed by a fused ReLU.
///
/// Layout: input (N, C_in, H, W), kernel (C_out, C_in, k, k), output (N, C_out, H_out, W_out).
/// A 3×3, padding-1 convolution runs Flywheel's own kernels where they cover the shape
/// (`ConvolutionKernel.runs`): forward on the image (bias and ReLU fused), the input gradient as
/// the same kernel applied to the output gradient with the taps turned 180° (stride 1), and the
/// weight gradient — Winograd's over all of a worker's images at once, from the transforms the
/// forward pass kept, the direct kernel's image by image where `computesWeightGradient` says.
/// Training and inference may run different kernels (`ConvolutionKernel.trainingKernel`, `.current`).
/// Everything else (and `FLYWHEEL_CONVOLUTION=im2col`) unfolds each image by `im2col` into a
/// (C_in·k·k) × (H_out·W_out) matrix and convolves it with one `sgemm` that writes straight into
/// the NCHW output; the weight gradient is dG · colsᵀ with the image unfolded again. Working image by image keeps each image's data in cache.
/// Initialisation: He normal kernel, zero bias.
public final class Conv2D: Layer {
    public let kind = "conv2d"
    public let inputChannels, outputChannels, kernelSize, stride, padding: Int
    public let activation: Activation
    public let kernel: Parameter
    public let bias: Parameter?
    public var needsInputGradient = true

    /// The window geometry fixed by `connect(to:)`.
    private(set) var geometry: ConvolutionGeometry?
    private var output = Workspace(), inputGradient = Workspace()
    /// Per worker, the buffers used within one call: column matrices, the GEMM-ordered gradient, the
    /// kernels' scratch, Winograd's transformed output gradients and (for workers after the first)
    /// private kernel and bias gradients — shared with the model's other layers.
    private(set) var scratch = SharedScratch()
    /// Per worker, Winograd's transformed inputs of its images, kept from forward for backward.
    fileprivate var winogradInputs = WorkerBuffers()
    /// Whether the last forward pass kept its inputs' Winograd transforms (training mode) for backward.
    fileprivate var keptInputTransforms = false
    fileprivate var packedWeights = DirectConvolutionWeights()
    private var lastInput: Tensor?, lastOutput: Tensor?

    /// The kernel this layer's convolution runs on in `mode` (`ConvolutionKernel.trainingKernel`
    /// or `.current`; im2col for shapes the direct kernel does not cover).
    func convolutionKernel(_ mode: Mode) -> ConvolutionKernel {
        guard let geometry else { return .im2col }
        return mode == .training ? ConvolutionKernel.trainingKernel(for: geometry, outputs: outputChannels) : ConvolutionKernel.current.runs(geometry)
    }

    /// - Throws: `EngineError.invalidOption` for a non-positive channel count, kernel size or
    ///   stride, or a negative padding.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, activation: Activation = .none) throws {
        try require(inputChannels > 0, "Conv2D inputChannels must be positive, got \(inputChannels)")
        try require(outputChannels > 0, "Conv2D outputChannels must be positive, got \(outputChannels)")
        try require(kernelSize > 0, "Conv2D kernelSize must be positive, got \(kernelSize)")
        try require(stride > 0, "Conv2D stride must be positive, got \(stride)")
        try require(padding >= 0, "Conv2D padding must be zero or positive, got \(padding)")
        self.inputChannels = inputChannels; self.outputChannels = outputChannels
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        self.activation = activation
        let fanIn = inputChannels * kernelSize * kernelSize
        kernel = Parameter(name: "kernel", shape: [outputChannels, inputChannels, kernelSize, kernelSize],
                           fanIn: fanIn, fanOut: outputChannels * kernelSize * kernelSize, initializer: .he)
        self.bias = bias ? Parameter(name: "bias", shape: [outputChannels], fanIn: fanIn, fanOut: outputChannels, initializer: .constant(0)) : nil
    }

    public var parameters: [Parameter] { [kernel] + (bias.map { [$0] } ?? []) }

    public func shareScratch(_ scratch: SharedScratch) { self.scratch = scratch }

    public func connect(to input: Shape) throws -> Shape {
        guard input.rank == 3, input[0] == inputChannels else {
            throw EngineError.shapeMismatch("Conv2D expects input (\(inputChannels), H, W), got \(input)")
        }
        let g = ConvolutionGeometry(channels: inputChannels, height: input[1], width: input[2],
                                    kernelHeight: kernelSize, kernelWidth: kernelSize, stride: stride, padding: padding)
        guard input[1] + 2 * padding >= kernelSize, input[2] + 2 * padding >= kernelSize else {
            throw EngineError.shapeMismatch("Conv2D kernel \(kernelSize)×\(kernelSize) does not fit input \(input) with padding \(padding)")
        }
        geometry = g
        return [outputChannels, g.outputHeight, g.outputWidth]
    }

    public var multiplyAccumulates: Int {
        guard let g = geometry else { return 0 }
        return g.outputPlane * outputChannels * g.patchSize
    }

    public func executedFLOPs(_ mode: Mode) -> Int {
        guard let g = geometry else { return 0 }
        return ExecutedFLOPs.convolution(g, outputs: outputChannels, kernel: convolutionKernel(mode), mode,
                                         inputGradient: needsInputGradient)
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        guard let g = geometry else { preconditionFailure("Conv2D used before connect(to:)") }
        return convolve(input, g, plan: forwardPlan(g, batch: input.shape.batch, mode: mode), relu: activation == .relu, affine: nil)
    }

    /// In inference on the Winograd kernel, the convolution of `input` followed by `norm` (its ReLU
    /// included), applied as each output tile is written: to the bit what
    /// `norm.forward(forward(input, mode: .inference), mode: .inference)` returns, with one pass over
    /// the output fewer. nil where the layer does not infer on Winograd or has an activation of its own.
    func forwardInference(_ input: Tensor, normalizedBy norm: BatchNorm2D) -> Tensor? {
        guard let g = geometry, activation == .none, norm.channels == outputChannels, convolutionKernel(.inference).isWinograd else { return nil }
        return convolve(input, g, plan: forwardPlan(g, batch: input.shape.batch, mode: .inference), relu: norm.activation == .relu,
                        affine: norm.inferenceAffine())
    }

    /// input (N, Cin, H, W) → output (N, Cout, Ho, Wo) by `plan`, normalised by `affine` where given.
    private func convolve(_ input: Tensor, _ g: ConvolutionGeometry, plan: ConvolutionForward, relu: Bool, affine: UnsafePointer<Float>?) -> Tensor {
        checkInput(input, [inputChannels, g.height, g.width], "Conv2D")
        let n = input.shape.batch, plane = g.outputPlane, imageSize = inputChannels * g.height * g.width
        let y = output.tensor([n, outputChannels, g.outputHeight, g.outputWidth])
        forEachChunk(of: n) { images, worker in
            for s in images {
                plan.image(input.pointer + s * imageSize, into: y.pointer + s * outputChannels * plane, relu: relu, worker: worker,
                           slot: s - images.lowerBound, affine: affine)
            }
        }
        lastInput = input
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let g = geometry, let x = lastInput, let y = lastOutput else { preconditionFailure("Conv2D.backward before forward") }
        precondition(outputGradient.shape == y.shape, "Conv2D.backward: gradient \(outputGradient.shape) ≠ output \(y.shape)")
        let n = y.shape.batch, plane = g.outputPlane, imageSize = inputChannels * g.height * g.width
        let (cout, k) = (outputChannels, g.patchSize)
        let direct = DirectBackward(self, g, batch: n)
        let cols = unfoldsImages(direct, g, inputGradient: needsInputGradient) ? columnBuffers(g) : nil
        let dGs = scratch.buffers(.plane, count: cout * plane)
        // Worker 0 accumulates into the parameters' gradients; the others into zeroed partials.
        let partials = zeroedPartialGradients(scratch, count: cout * k + cout)
        let dx = inputGradient.tensor([n, inputChannels, g.height, g.width])
        let relu = activation == .relu, hasBias = bias != nil, needsDx = needsInputGradient
        let weights = kernel.value.pointer, kernelGradient = kernel.gradient.pointer, biasGradient = bias?.gradient.pointer
        forEachChunk(of: n) { images, worker in
            let c = cols?[worker], dG = dGs[worker]
            let dW = worker == 0 ? kernelGradient : partials[worker]
            let dB = worker == 0 ? biasGradient : partials[worker] + cout * k
            for s in images {
                let offset = s * cout * plane
                // dG (Cout × P): this image's output gradient, masked by the fused ReLU.
                maskedCopy(dG, outputGradient.pointer + offset, y.pointer + offset, count: cout * plane, relu: relu)
                if hasBias, let dB { for o in 0..<cout { dB[o] += sum(dG + o * plane, count: plane) } }
                backpropagateImage(dG, x.pointer + s * imageSize, needsDx ? dx.pointer + s * imageSize : nil, columns: c,
                                   weights: weights, kernelGradient: dW, g, outputChannels: cout,
                                   direct: direct?.worker(worker), slot: s - images.lowerBound)
            }
            direct?.worker(worker).finishWeightGradient(images: images.count, g, dW)
        }
        addPartialGradients(partials, kernelGradient: kernelGradient, biasGradient: biasGradient, outputChannels: cout, patchSize: k)
        return dx
    }

    /// Each worker's scratch for the direct kernel, one size for forward and backward, training
    /// and inference (so no step allocates after the first).
    fileprivate func kernelScratch(_ g: ConvolutionGeometry) -> ScratchBuffers {
        func floats(_ mode: Mode) -> Int {
            directConvolutionScratch(convolutionKernel(mode), inputs: inputChannels, outputs: outputChannels, height: g.height, width: g.width)
        }
        return scratch.buffers(.kernelScratch, count: max(floats(.training), floats(.inference)))
    }

    /// Each worker's column matrix for im2col (forward and backward share it).
    func columnBuffers(_ g: ConvolutionGeometry) -> ScratchBuffers { scratch.buffers(.columns, count: g.patchSize * g.outputPlane) }

    /// Winograd's transformed images, per worker: [point][input channel][slot · slot count + tile],
    /// one slot per image of the worker's chunk of `batch`, rows `pitch` floats apart
    /// (`fw_winograd_pitch` of the largest chunk).
    fileprivate func winogradInputTransforms(_ g: ConvolutionGeometry, batch: Int) -> (tensors: [Tensor], pitch: Int) {
        let workers = min(Parallelism.workers, batch), largestChunk = (batch + workers - 1) / workers
        let isa = convolutionKernel(.training).isaLevel
        let pitch = fw_winograd_pitch(isa, Int32(largestChunk), Int32(g.height), Int32(g.width))
        return (winogradInputs.tensors([winogradPoints(g) * inputChannels * pitch]), pitch)
    }

    /// The points of the Winograd transform training runs on `g`: rows of transformed data per channel.
    fileprivate func winogradPoints(_ g: ConvolutionGeometry) -> Int {
        Int(fw_winograd_points(convolutionKernel(.training).isaLevel, Int32(g.height), Int32(g.width)))
    }

    /// How this batch's forward pass convolves each image (also for layers that fuse what
    /// follows the convolution, `ConvReLUMaxPool`): the weights packed for the direct or Winograd
    /// kernel, or im2col + sgemm. In training, Winograd keeps each image's transform for backward,
    /// unless `keepingTransforms` is false (a backward pass that does not use them).
    func forwardPlan(_ g: ConvolutionGeometry, batch: Int, mode: Mode, keepingTransforms: Bool = true) -> ConvolutionForward {
        let method = convolutionKernel(mode)
        let packed = method == .im2col ? nil : packedWeights.forward(kernel.value, inputs: inputChannels, outputs: outputChannels, method: method,
                                                                                 height: g.height, width: g.width)
        keptInputTransforms = method.isWinograd && mode == .training && keepingTransforms
        return ConvolutionForward(method: method, geometry: g, outputChannels: outputChannels, weights: kernel.value.pointer,
                                  biases: bias?.value.pointer, packed: packed,
                                  scratch: method == .im2col ? columnBuffers(g) : kernelScratch(g),
                                  keep: keptInputTransforms ? winogradInputTransforms(g, batch: batch) : nil)
    }
}

/// How one forward pass convolves each image, fixed once per batch by `Conv2D.forwardPlan`.
struct ConvolutionForward {
    let method: ConvolutionKernel
    let geometry: ConvolutionGeometry
    let outputChannels: Int
    let weights: UnsafePointer<Float>, biases: UnsafePointer<Float>?
    /// The direct kernel's packed weights; nil where im2col + sgemm runs.
    let packed: UnsafePointer<Float>?
    /// Per worker: the direct kernel's padded image, or im2col's column matrix.
    let scratch: ScratchBuffers
    /// Where Winograd keeps each image's transform for backward (training only).
    let keep: (tensors: [Tensor], pitch: Int)?

    /// Image `x`, the `slot`-th of `worker`'s chunk, convolved into `out` (C_out × H_out·W_out),
    /// bias added, normalised by `affine` where given (Winograd in inference only:
    /// `fw_winograd_conv3x3_normalized`) and, with `relu`, rectified.
    @inline(__always)
    func image(_ x: UnsafePointer<Float>, into out: UnsafeMutablePointer<Float>, relu: Bool, worker: Int, slot: Int,
               affine: UnsafePointer<Float>? = nil) {
        let g = geometry, cout = outputChannels, work = scratch[worker]
        if let affine, let packed {
            precondition(method.isWinograd && keep == nil && g.stride == 1, "a batch norm rides only on Winograd's inference")
            fw_winograd_conv3x3_normalized(method.isaLevel, x, Int32(g.channels), Int32(g.height), Int32(g.width), packed, Int32(cout), biases,
                                           affine, relu ? 1 : 0, work, out)
            return
        }
        if let keep, let packed {
            let kept = keep.tensors[worker].pointer + slot * fw_winograd_slot_count(method.isaLevel, Int32(g.height), Int32(g.width))
            fw_winograd_conv3x3_keeping(method.isaLevel, x, Int32(g.channels), Int32(g.height), Int32(g.width), packed, Int32(cout), biases, relu ? 1 : 0,
                                        work, kept, keep.pitch, out)
            return
        }
        if let packed {
            directConvolution(method, x, inputs: g.channels, height: g.height, width: g.width, stride: g.stride, packed: packed,
                              outputs: cout, bias: biases, relu: relu, scratch: work, out)
            return
        }
        let k = g.patchSize, plane = g.outputPlane
        im2col(work, x, g, batch: 1)
        sgemm(transposeA: false, transposeB: false, m: cout, n: plane, k: k, a: weights, lda: k, b: work, ldb: plane, beta: 0, c: out, ldc: plane)
        for o in 0..<cout { addBias(out + o * plane, out + o * plane, biases?[o] ?? 0, count: plane, relu: relu) }
    }
}

/// What the direct and Winograd kernels need in backward: the kernel choice, the adjoint-packed
/// weights (which turn an output gradient into the input gradient), each worker's scratch and,
/// for Winograd, each worker's transformed inputs and output gradients, laid out
/// [point][channel][slot · slot count + tile] with one slot per image of the worker's chunk.
struct DirectBackward {
    let method: ConvolutionKernel
    /// The weights packed for the input gradient: the forward kernel's, adjoint, for stride 1; the
    /// four phases' for stride 2 where `computesStride2InputGradient`; else nil (sgemm + col2im).
    let packed: UnsafePointer<Float>?
    let scratch: ScratchBuffers
    let inputs, outputs: Int
    let transformedInputs: [Tensor]
    let transformedGradients: ScratchBuffers?
    /// Floats between rows of the transformed buffers (`Conv2D.winogradInputTransforms`).
    let pitch: Int
    /// Whether the forward pass already transformed the inputs into `transformedInputs`.
    let inputsTransformed: Bool

    /// Nil where `layer` runs im2col.
    init?(_ layer: Conv2D, _ g: ConvolutionGeometry, batch: Int) {
        method = layer.convolutionKernel(.training)
        guard method != .im2col else { return nil }
        let (weights, cin, cout) = (layer.kernel.value, layer.inputChannels, layer.outputChannels)
        packed = g.stride == 1 ? layer.packedWeights.adjoint(weights, inputs: cin, outputs: cout, method: method, height: g.height, width: g.width)
            : method.computesStride2InputGradient(g) ? layer.packedWeights.stride2InputGradient(weights, inputs: cin, outputs: cout) : nil
        scratch = layer.kernelScratch(g)
        inputs = layer.inputChannels; outputs = layer.outputChannels
        inputsTransformed = method.isWinograd && layer.keptInputTransforms
        guard method.isWinograd else { transformedInputs = []; transformedGradients = nil; pitch = 0; return }
        (transformedInputs, pitch) = layer.winogradInputTransforms(g, batch: batch)
        transformedGradients = layer.scratch.buffers(.transformedGradients, count: layer.winogradPoints(g) * outputs * pitch)
    }

    /// This worker's view: the same weights, its own buffers.
    func worker(_ index: Int) -> DirectBackwardWorker { DirectBackwardWorker(shared: self, index: index) }
}

/// One worker's part of `DirectBackward`.
struct DirectBackwardWorker {
    let shared: DirectBackward
    let index: Int

    var scratch: UnsafeMutablePointer<Float> { shared.scratch[index] }

    /// Winograd's transformed output gradients of this worker's images.
    private var transformedGradients: UnsafeMutablePointer<Float> {
        guard let buffers = shared.transformedGradients else { preconditionFailure("DirectBackward: no Winograd buffers for \(shared.method)") }
        return buffers[index]
    }

    /// Winograd: keeps image `x`'s and its output gradient `dG`'s transforms in `slot` for the
    /// weight gradient `finishWeightGradient` computes over the whole chunk.
    @inline(__always)
    func keepForWeightGradient(_ x: UnsafePointer<Float>, _ dG: UnsafePointer<Float>, slot: Int, _ g: ConvolutionGeometry) {
        let (h, w) = (Int32(g.height), Int32(g.width)), offset = slot * fw_winograd_slot_count(shared.method.isaLevel, h, w)
        if !shared.inputsTransformed {
            fw_winograd_transform_image(shared.method.isaLevel, x, Int32(shared.inputs), h, w, scratch, shared.transformedInputs[index].pointer + offset, shared.pitch)
        }
        fw_winograd_transform_gradient(shared.method.isaLevel, dG, Int32(shared.outputs), h, w, transformedGradients + offset, shared.pitch)
    }

    /// Winograd: adds the weight gradient of the chunk's `images` images, kept by
    /// `keepForWeightGradient`, to `dW`. Other kernels computed it image by image.
    @inline(__always)
    func finishWeightGradient(images: Int, _ g: ConvolutionGeometry, _ dW: UnsafeMutablePointer<Float>) {
        guard shared.method.isWinograd else { return }
        fw_winograd_weight_gradient(shared.method.isaLevel, transformedGradients, shared.transformedInputs[index].pointer, Int32(shared.inputs),
                                    Int32(shared.outputs), Int32(g.height), Int32(g.width),
                                    images * fw_winograd_slot_count(shared.method.isaLevel, Int32(g.height), Int32(g.width)), shared.pitch,
                                    scratch, dW)
    }
}

/// Whether backpropagating an image of geometry `g` unfolds it by im2col (`backpropagateImage`
/// then needs `Conv2D.columnTensors`): for the weight gradient where neither Winograd nor the
/// direct kernel computes it, for the input gradient where no direct kernel does (stride 2 on
/// AVX2, or on rows the four phases do not cover).
func unfoldsImages(_ direct: DirectBackward?, _ g: ConvolutionGeometry, inputGradient: Bool) -> Bool {
    guard let direct else { return true }
    let unfoldsForWeights = !direct.method.isWinograd && !direct.method.computesWeightGradient(g)
    return unfoldsForWeights || (inputGradient && direct.packed == nil)
}

/// The weight and input gradients of one image's convolution, given dG (C_out × P), its output
/// gradient in GEMM order: dW (C_out × K) += dG · colsᵀ with the image's columns unfolded again,
/// then, when `dx` is given, dx = col2im(Wᵀ · dG). `columns` is scratch of K × P floats, needed
/// where `unfoldsImages` says so. With
/// `direct` (a worker's view), the direct or Winograd kernels compute dx, and dW where they cover
/// it; Winograd keeps the image's transforms in `slot` (its place in the worker's chunk) and
/// computes dW for the chunk at once (`DirectBackwardWorker.finishWeightGradient`).
@inline(__always)
func backpropagateImage(_ dG: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>?,
                        columns: UnsafeMutablePointer<Float>?, weights: UnsafePointer<Float>, kernelGradient dW: UnsafeMutablePointer<Float>,
                        _ g: ConvolutionGeometry, outputChannels cout: Int,
                        direct: DirectBackwardWorker? = nil, slot: Int = 0) {
    let k = g.patchSize, plane = g.outputPlane
    if let direct, direct.shared.method.isWinograd {
        direct.keepForWeightGradient(x, dG, slot: slot, g)
    } else if let direct, direct.shared.method.computesWeightGradient(g) {
        directWeightGradient(direct.shared.method, x, inputs: direct.shared.inputs, height: g.height, width: g.width, stride: g.stride, outputGradient: dG,
                             outputs: cout, scratch: direct.scratch, dW)
    } else {
        guard let c = columns else { preconditionFailure("backpropagateImage: im2col's weight gradient without columns") }
        im2col(c, x, g, batch: 1)
        sgemm(transposeA: false, transposeB: true, m: cout, n: k, k: plane, a: dG, lda: plane, b: c, ldb: plane, beta: 1, c: dW, ldc: k)
    }
    guard let dx else { return }
    if let direct, let packed = direct.shared.packed {
        let d = direct.shared
        if g.stride == 2 {
            fw_conv3x3_stride2_input_gradient(dG, Int32(d.outputs), Int32(g.height), Int32(g.width), packed, Int32(d.inputs), dx)
        } else {
            directConvolution(d.method, dG, inputs: d.outputs, height: g.height, width: g.width, packed: packed, outputs: d.inputs,
                              bias: nil, relu: false, scratch: direct.scratch, dx)
        }
        return
    }
    guard let c = columns else { preconditionFailure("backpropagateImage: col2im's input gradient without columns") }
    sgemm(transposeA: true, transposeB: false, m: k, n: plane, k: cout, a: weights, lda: k, b: dG, ldb: plane, beta: 0, c: c, ldc: plane)
    col2im(dx, c, g, batch: 1)
}

/// The private kernel and bias gradients of workers 1… (`count` floats each), zeroed.
func zeroedPartialGradients(_ scratch: SharedScratch, count: Int) -> ScratchBuffers {
    let partials = scratch.buffers(.partialGradients, count: count)
    for worker in 1..<max(Parallelism.workers, 1) { partials[worker].update(repeating: 0, count: count) }
    return partials
}

/// Adds the private kernel and bias gradients of workers 1… (laid out as kernel, then bias) into
/// the parameters' gradients, in worker order so the result is reproducible.
@inline(__always)
func addPartialGradients(_ partials: ScratchBuffers, kernelGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>?,
                         outputChannels cout: Int, patchSize k: Int) {
    for worker in 1..<max(Parallelism.workers, 1) {
        axpy(kernelGradient, 1, partials[worker], count: cout * k)
        if let biasGradient { axpy(biasGradient, 1, partials[worker] + cout * k, count: cout) }
    }
}
