/// A reusable Int32 buffer (argmax indices of max pooling), grown only when a larger batch arrives.
struct IndexWorkspace {
    private var storage: UnsafeMutablePointer<Int32>?
    private var capacity = 0

    /// At least `count` Int32s (contents unspecified). The buffer is released with `release()`.
    mutating func indices(_ count: Int) -> UnsafeMutablePointer<Int32> {
        if let storage, capacity >= count { return storage }
        storage?.deallocate()
        let fresh = UnsafeMutablePointer<Int32>.allocate(capacity: max(count, 1))
        storage = fresh
        capacity = count
        return fresh
    }

    mutating func release() { storage?.deallocate(); storage = nil; capacity = 0 }
}
