/// A float32 buffer, either owned (allocated and freed here) or a view into another storage,
/// which it keeps alive.
public final class TensorStorage: @unchecked Sendable {
    /// First element.
    public let pointer: UnsafeMutablePointer<Float>
    /// Elements available from `pointer`.
    public let capacity: Int
    private let parent: TensorStorage?

    /// Allocates `capacity` zeroed floats, 64-byte aligned for vector loads.
    public init(capacity: Int) {
        let raw = UnsafeMutableRawPointer.allocate(byteCount: max(capacity, 1) * 4, alignment: 64)
        pointer = raw.initializeMemory(as: Float.self, repeating: 0, count: max(capacity, 1))
        self.capacity = capacity
        parent = nil
    }

    /// A view of `count` elements of `parent` starting at `offset`.
    public init(viewOf parent: TensorStorage, offset: Int, count: Int) {
        precondition(offset >= 0 && offset + count <= parent.capacity,
                      "View [\(offset), \(offset + count)) exceeds storage of \(parent.capacity) elements")
        pointer = parent.pointer + offset
        capacity = count
        self.parent = parent
    }

    deinit {
        if parent == nil { UnsafeMutableRawPointer(pointer).deallocate() }
    }
}
