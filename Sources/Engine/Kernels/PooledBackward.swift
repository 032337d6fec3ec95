import CConvolution

/// The backward pass of `ConvReLUMaxPool` from its passing windows alone (`fw_pooled_backward`):
/// the convolution's output gradient is nonzero only at the arg-max of the 2×2 windows whose
/// pooled output passed the ReLU, at most a quarter of the plane, so each such window's gradient
/// goes straight into the weight gradient's nine taps and onto the nine input pixels it reached —
/// no unpooled plane, no dense convolutions over its zeros.
///
/// It runs where the layer trains on an AVX-512 kernel, direct or Winograd, at stride 1 with at
/// least `minimumInputs` input channels (`applies`); elsewhere the dense path runs. On the Intel
/// Xeon (a C microbenchmark, one image at a time, the dense path being unpooling, the direct
/// kernel's adjoint convolution and weight gradient) it took 0.5–0.75 of the dense path's time for
/// the 16 → 16 … 64 → 128-channel layers of cnn-deep and cnn-wide, and 1.6× as long with 3 input
/// channels, whose pixels fill three of a vector's sixteen lanes.
enum PooledBackward {
    /// Fewer input channels than this leave most of each sixteen-lane vector empty.
    static let minimumInputs = 16

    /// Whether layers of geometry `g` (the convolution's) training on `kernel` take this path.
    static func applies(_ kernel: ConvolutionKernel, _ g: ConvolutionGeometry) -> Bool {
        (kernel == .avx512 || kernel == .winograd) && g.stride == 1 && g.channels >= minimumInputs
    }

    /// Adds the weight and bias gradients of the batch to `kernelGradient` and `biasGradient`
    /// (each worker's sums in a buffer of its own, added in worker order) and, unless `dx` is
    /// nil, writes the input gradient there. `y`, `indices` and `dy` are the pooled output, its
    /// arg-max and its gradient; `x` the layer's input; the buffers come from `scratch`.
    static func run(_ g: ConvolutionGeometry, scratch: SharedScratch, outputs: Int, batch n: Int, x: UnsafePointer<Float>,
                    y: UnsafePointer<Float>, indices: UnsafePointer<Int32>, dy: UnsafePointer<Float>, weights: Tensor,
                    kernelGradient: UnsafeMutablePointer<Float>, biasGradient: UnsafeMutablePointer<Float>?,
                    dx: UnsafeMutablePointer<Float>?) {
        let (cin, h, w) = (Int32(g.channels), Int32(g.height), Int32(g.width)), cout = Int32(outputs)
        let packedCount = fw_pooled_backward_packed_count(cin, cout)
        let packed = scratch.buffers(.pooledWeights, count: packedCount)[0]
        fw_pooled_backward_pack(weights.pointer, cin, cout, packed)
        let work = scratch.buffers(.pooledScratch, count: fw_pooled_backward_scratch_count(cin, cout, h, w))
        let sums = scratch.buffers(.pooledSums, count: packedCount + outputs), workers = max(Parallelism.workers, 1)
        for worker in 0..<workers { sums[worker].update(repeating: 0, count: packedCount + outputs) }
        let imageSize = g.channels * g.height * g.width, pooledSize = outputs * (g.height / 2) * (g.width / 2)
        forEachChunk(of: n) { images, worker in
            let sum = sums[worker]
            for s in images {
                fw_pooled_backward(x + s * imageSize, cin, h, w, dy + s * pooledSize, y + s * pooledSize, indices + s * pooledSize, cout,
                                   packed, work[worker], sum, sum + packedCount, dx.map { $0 + s * imageSize })
            }
        }
        for worker in 0..<workers {
            fw_pooled_backward_unpack_add(sums[worker], cin, cout, kernelGradient)
            if let biasGradient { axpy(biasGradient, 1, sums[worker] + packedCount, count: outputs) }
        }
    }
}
