/// A contiguous float32 array with a shape. Copies of a `Tensor` share their storage: a tensor
/// is a handle, like an array in PyTorch or MLX, so layers can hand out views without copying.
public struct Tensor: @unchecked Sendable, CustomStringConvertible {
    public let shape: Shape
    public let storage: TensorStorage

    /// A zero-filled tensor of `shape`.
    public init(zeros shape: Shape) {
        self.shape = shape
        storage = TensorStorage(capacity: shape.count)
    }

    /// A tensor of `shape` holding `values` (row-major).
    public init(shape: Shape, values: [Float]) {
        precondition(values.count == shape.count,
                     "Tensor of shape \(shape) needs \(shape.count) values, got \(values.count)")
        self.init(zeros: shape)
        values.withUnsafeBufferPointer { storage.pointer.update(from: $0.baseAddress!, count: values.count) }
    }

    /// A tensor of `shape` over the first `shape.count` elements of `storage`.
    public init(shape: Shape, storage: TensorStorage) {
        precondition(shape.count <= storage.capacity,
                     "Shape \(shape) needs \(shape.count) elements; storage holds \(storage.capacity)")
        self.shape = shape
        self.storage = storage
    }

    /// Number of elements.
    public var count: Int { shape.count }
    /// First element.
    public var pointer: UnsafeMutablePointer<Float> { storage.pointer }
    /// The elements as a mutable buffer.
    public var buffer: UnsafeMutableBufferPointer<Float> { UnsafeMutableBufferPointer(start: pointer, count: count) }
    /// The elements copied into an array.
    public var values: [Float] { Array(buffer) }

    /// The same elements seen with another shape of equal size.
    public func reshaped(_ newShape: Shape) -> Tensor {
        precondition(newShape.count == shape.count, "Cannot reshape \(shape) to \(newShape): sizes differ")
        return Tensor(shape: newShape, storage: storage)
    }

    /// Element at a flat (row-major) index.
    public subscript(flat index: Int) -> Float {
        get { pointer[index] }
        nonmutating set { pointer[index] = newValue }
    }

    /// Sets every element to zero.
    public func zero() { pointer.update(repeating: 0, count: count) }

    /// Copies `other`'s elements into this tensor; shapes must match.
    public func copy(from other: Tensor) {
        precondition(other.shape == shape, "Cannot copy \(other.shape) into \(shape)")
        pointer.update(from: other.pointer, count: count)
    }

    /// An independent copy with its own storage.
    public func copied() -> Tensor {
        let t = Tensor(zeros: shape)
        t.copy(from: self)
        return t
    }

    public var description: String { "Tensor\(shape)" }
}

/// A reusable buffer for a layer's activations or gradients: `tensor(_:)` returns a tensor of
/// the requested shape, allocating only when it needs more room than it has, so a training
/// step allocates nothing after the first batch.
public struct Workspace: Sendable {
    private var storage: TensorStorage?

    public init() {}

    /// A tensor of `shape` over this workspace's storage (contents unspecified).
    public mutating func tensor(_ shape: Shape) -> Tensor {
        if let storage, storage.capacity >= shape.count { return Tensor(shape: shape, storage: storage) }
        let fresh = TensorStorage(capacity: shape.count)
        storage = fresh
        return Tensor(shape: shape, storage: fresh)
    }
}

/// One workspace per engine worker, with the tensors of the last requested shape cached so
/// that asking again for the same shape allocates nothing.
public struct WorkerBuffers: Sendable {
    private var workspaces: [Workspace] = []
    private var cached: [Tensor] = []
    private var cachedShape: Shape?

    public init() {}

    /// One tensor of `shape` per worker of `Parallelism.workers` (contents unspecified).
    public mutating func tensors(_ shape: Shape) -> [Tensor] {
        let workers = Parallelism.workers
        if cachedShape == shape && cached.count == workers { return cached }
        while workspaces.count < workers { workspaces.append(Workspace()) }
        cached = (0..<workers).map { workspaces[$0].tensor(shape) }
        cachedShape = shape
        return cached
    }
}
