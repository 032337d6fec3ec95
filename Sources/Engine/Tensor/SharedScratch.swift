/// The scratch buffers a model's layers share: those a layer uses only within one call of its
/// `forward` or `backward` — im2col's column matrices, the direct kernel's padded images, Winograd's
/// transformed output gradients, unpooled planes, the workers' partial gradients. The layers of one
/// model run one at a time, so the model needs one buffer of each role per worker, as large as its
/// largest layer asks for, rather than one per layer (on resnet-18 at 128 pixels the per-layer
/// copies were more than a quarter of a training's memory). What a layer keeps from `forward` for
/// `backward` (its output, Winograd's input transforms) stays in the layer's own workspaces.
///
/// `Sequential` gives one to all its layers (`Layer.shareScratch(_:)`); a layer used on its own
/// keeps the one it was created with. Two models never share one, so models may train side by
/// side. Buffers grow while the first batch finds the largest request; after that, asking
/// allocates nothing.
public final class SharedScratch {
    /// What a buffer holds; two roles never share storage, so a layer may hold one of each at once.
    public enum Role: Int, CaseIterable, Sendable {
        /// im2col's column matrices (`Conv2D`).
        case columns
        /// One image's output gradient in GEMM order (`Conv2D`), or its unpooled gradient and
        /// convolution output (`ConvReLUMaxPool`).
        case plane
        /// The direct and Winograd kernels' padded images and transforms of one image.
        case kernelScratch
        /// Winograd's transformed output gradients of a worker's images.
        case transformedGradients
        /// The private weight and bias gradients of workers after the first.
        case partialGradients
        /// `PooledBackward`'s packed weights, per-image scratch and per-worker sums.
        case pooledWeights, pooledScratch, pooledSums
    }

    private var storages = [[TensorStorage]](repeating: [], count: Role.allCases.count)

    public init() {}

    /// One buffer of at least `count` floats per engine worker (`Parallelism.workers`) for `role`,
    /// contents unspecified, valid until the next request for the same role.
    public func buffers(_ role: Role, count: Int) -> ScratchBuffers {
        let workers = Parallelism.workers, current = storages[role.rawValue]
        if current.count >= workers && !current.contains(where: { $0.capacity < count }) { return ScratchBuffers(storages: current) }
        let capacity = max(count, current.first?.capacity ?? 0)
        let grown = (0..<max(workers, current.count)).map { _ in TensorStorage(capacity: capacity) }
        storages[role.rawValue] = grown
        return ScratchBuffers(storages: grown)
    }
}

/// Each engine worker's buffer of one role of a `SharedScratch`.
public struct ScratchBuffers {
    fileprivate let storages: [TensorStorage]

    /// Worker `worker`'s buffer.
    public subscript(worker: Int) -> UnsafeMutablePointer<Float> { storages[worker].pointer }
}
