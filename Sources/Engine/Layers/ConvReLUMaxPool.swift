import CConvolution

/// `maxpool2×2(relu(conv(x)))` as one layer: the convolution of `Conv2D` (its direct kernel or
/// im2col + sgemm, as `Conv2D` chooses), then ReLU and 2×2/2 max pooling, applied image by image
/// while the convolution's output is still in cache.
///
/// The full-resolution activation never goes to memory: forward keeps only the pooled output and
/// the arg-max of each window (relu(max) = max(relu), so pooling first is exact), and backward
/// rebuilds each image's gradient from them (a window's gradient reaches its arg-max when the
/// pooled value is positive). On the reference network this removes the three largest memory
/// passes of a training step. Where the layer trains on an AVX-512 kernel (direct or Winograd),
/// backward visits only the windows that passed the ReLU (`PooledBackward`). Layout NCHW;
/// parameters `kernel` (C_out, C_in, k, k) and `bias`.
public final class ConvReLUMaxPool: Layer {
    public let kind = "conv2d_relu_maxpool"
    public let convolution: Conv2D
    public var needsInputGradient = true
    private var pooledGeometry: ConvolutionGeometry?
    private var output = Workspace(), inputGradient = Workspace()
    private var argmax = IndexWorkspace()
    private var lastInput: Tensor?, lastOutput: Tensor?

    /// - Throws: `EngineError.invalidOption` for the convolution options `Conv2D` rejects.
    public init(inputChannels: Int, outputChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0) throws {
        convolution = try Conv2D(inputChannels: inputChannels, outputChannels: outputChannels, kernelSize: kernelSize,
                                 stride: stride, padding: padding, activation: .relu)
    }

    deinit { argmax.release() }

    public var parameters: [Parameter] { convolution.parameters }
    public var multiplyAccumulates: Int { convolution.multiplyAccumulates }

    public func shareScratch(_ scratch: SharedScratch) { convolution.shareScratch(scratch) }

    /// The convolution's scratch, which this layer's own per-call buffers share.
    private var scratch: SharedScratch { convolution.scratch }

    /// The convolution's FLOPs (`ExecutedFLOPs`), but where backward visits only the windows that
    /// passed the ReLU (`PooledBackward`): there the backward multiplies at one pixel of each 2 × 2
    /// window, the arg-max, and is counted as if every window's maximum passed — a quarter of the
    /// dense backward, an upper bound (fewer windows pass where the ReLU zeroes a maximum).
    public func executedFLOPs(_ mode: Mode) -> Int {
        guard let g = convolution.geometry else { return 0 }
        let kernel = convolution.convolutionKernel(mode)
        guard mode == .training, PooledBackward.applies(kernel, g) else {
            return ExecutedFLOPs.convolution(g, outputs: convolution.outputChannels, kernel: kernel, mode, inputGradient: needsInputGradient)
        }
        let forward = ExecutedFLOPs.convolution(g, outputs: convolution.outputChannels, kernel: kernel, .inference, inputGradient: false)
        let denseBackward = ExecutedFLOPs.asMultiplied(multiplyAccumulates, .training, inputGradient: needsInputGradient) - 2 * multiplyAccumulates
        return forward + denseBackward / 4
    }

    public func connect(to input: Shape) throws -> Shape {
        let convolved = try convolution.connect(to: input)
        guard convolved[1] >= 2, convolved[2] >= 2 else {
            throw EngineError.shapeMismatch("ConvReLUMaxPool: convolution output \(convolved) is too small to pool 2×2")
        }
        pooledGeometry = ConvolutionGeometry(channels: convolved[0], height: convolved[1], width: convolved[2],
                                             kernelHeight: 2, kernelWidth: 2, stride: 2, padding: 0)
        return [convolved[0], convolved[1] / 2, convolved[2] / 2]
    }

    public func forward(_ input: Tensor, mode: Mode) -> Tensor {
        // input (N, Cin, H, W) → conv (N, Cout, Ho, Wo) in cache only → output (N, Cout, Ho/2, Wo/2)
        guard let g = convolution.geometry, let pg = pooledGeometry else { preconditionFailure("ConvReLUMaxPool used before connect(to:)") }
        checkInput(input, [g.channels, g.height, g.width], "ConvReLUMaxPool")
        let n = input.shape.batch, plane = g.outputPlane, pooled = pg.outputPlane, imageSize = g.channels * g.height * g.width
        let cout = convolution.outputChannels
        let y = output.tensor([n, cout, pg.outputHeight, pg.outputWidth])
        let indices = argmax.indices(n * cout * pooled)
        // Winograd's input transforms serve a dense backward pass only.
        let dense = !PooledBackward.applies(convolution.convolutionKernel(.training), g)
        let convolved = scratch.buffers(.plane, count: cout * plane), plan = convolution.forwardPlan(g, batch: n, mode: mode, keepingTransforms: dense)
        forEachChunk(of: n) { images, worker in
            let z = convolved[worker]
            for s in images {
                plan.image(input.pointer + s * imageSize, into: z, relu: false, worker: worker, slot: s - images.lowerBound)
                for o in 0..<cout {
                    let zo = z + o * plane, out = y.pointer + (s * cout + o) * pooled
                    maxPool2x2(out, indices + (s * cout + o) * pooled, zo, pg)
                    reluForward(out, out, count: pooled)
                }
            }
        }
        lastInput = input
        lastOutput = y
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        guard let g = convolution.geometry, let pg = pooledGeometry, let x = lastInput, let y = lastOutput else {
            preconditionFailure("ConvReLUMaxPool.backward before forward")
        }
        precondition(outputGradient.shape == y.shape, "ConvReLUMaxPool.backward: gradient \(outputGradient.shape) ≠ output \(y.shape)")
        let n = y.shape.batch, plane = g.outputPlane, pooled = pg.outputPlane, imageSize = g.channels * g.height * g.width
        let cout = convolution.outputChannels, k = g.patchSize
        let indices = argmax.indices(n * cout * pooled)
        let dx = inputGradient.tensor([n, g.channels, g.height, g.width])
        if PooledBackward.applies(convolution.convolutionKernel(.training), g) {
            PooledBackward.run(g, scratch: scratch, outputs: cout, batch: n, x: x.pointer, y: y.pointer, indices: indices, dy: outputGradient.pointer,
                               weights: convolution.kernel.value, kernelGradient: convolution.kernel.gradient.pointer,
                               biasGradient: convolution.bias?.gradient.pointer, dx: needsInputGradient ? dx.pointer : nil)
            return dx
        }
        let direct = DirectBackward(convolution, g, batch: n)
        let cols = unfoldsImages(direct, g, inputGradient: needsInputGradient) ? convolution.columnBuffers(g) : nil
        let dZs = scratch.buffers(.plane, count: cout * plane)
        let partials = zeroedPartialGradients(scratch, count: cout * k + cout)
        let needsDx = needsInputGradient
        let weights = convolution.kernel.value.pointer, kernelGradient = convolution.kernel.gradient.pointer
        let biasGradient = convolution.bias?.gradient.pointer
        forEachChunk(of: n) { images, worker in
            let c = cols?[worker], dZ = dZs[worker]
            let dW = worker == 0 ? kernelGradient : partials[worker]
            let dB = worker == 0 ? biasGradient : partials[worker] + cout * k
            for s in images {
                // dZ (Cout × P): each window's gradient at its arg-max, where the pooled value passed the ReLU.
                for o in 0..<cout {
                    let cell = (s * cout + o) * pooled
                    dB?[o] += fw_unpool2x2_relu(ConvolutionKernel.best.isaLevel, outputGradient.pointer + cell, y.pointer + cell,
                                                indices + cell, Int32(g.outputHeight), Int32(g.outputWidth), dZ + o * plane)
                }
                backpropagateImage(dZ, x.pointer + s * imageSize, needsDx ? dx.pointer + s * imageSize : nil, columns: c,
                                   weights: weights, kernelGradient: dW, g, outputChannels: cout,
                                   direct: direct?.worker(worker), slot: s - images.lowerBound)
            }
            direct?.worker(worker).finishWeightGradient(images: images.count, g, dW)
        }
        addPartialGradients(partials, kernelGradient: kernelGradient, biasGradient: biasGradient, outputChannels: cout, patchSize: k)
        return dx
    }
}
