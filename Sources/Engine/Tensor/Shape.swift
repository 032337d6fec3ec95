/// The extents of a tensor, outermost first (NCHW for images: batch, channels, height, width).
/// Up to eight axes, stored inline so that making and comparing shapes never allocates.
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// Number of axes.
    public let rank: Int
    private let extents: SIMD8<Int>

    public init(_ dimensions: [Int]) {
        precondition(dimensions.count <= 8, "Shape \(dimensions) has more than 8 axes")
        precondition(dimensions.allSatisfy { $0 >= 0 }, "Shape \(dimensions) has a negative extent")
        var extents = SIMD8<Int>()
        for (axis, extent) in dimensions.enumerated() { extents[axis] = extent }
        self.init(rank: dimensions.count, extents: extents)
    }

    private init(rank: Int, extents: SIMD8<Int>) {
        self.rank = rank
        self.extents = extents
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// Extent of each axis.
    public var dimensions: [Int] { (0..<rank).map { extents[$0] } }
    /// Number of elements (the product of the extents).
    public var count: Int {
        var product = 1
        for axis in 0..<rank { product *= extents[axis] }
        return product
    }
    /// Extent of axis `axis`.
    public subscript(axis: Int) -> Int {
        precondition(axis >= 0 && axis < rank, "axis \(axis) out of range for shape \(self)")
        return extents[axis]
    }
    /// Extent of the first axis (the batch, for activations).
    public var batch: Int { rank > 0 ? extents[0] : 1 }
    /// The shape of one sample: every axis but the first.
    public var sample: Shape {
        var rest = SIMD8<Int>()
        for axis in 1..<max(rank, 1) { rest[axis - 1] = extents[axis] }
        return Shape(rank: max(rank - 1, 0), extents: rest)
    }
    /// A batch of `batch` samples of this (per-sample) shape: `batch` prepended as a new first axis.
    public func batched(_ batch: Int) -> Shape {
        precondition(rank < 8, "Shape \(self) cannot take another axis")
        var grown = SIMD8<Int>()
        grown[0] = batch
        for axis in 0..<rank { grown[axis + 1] = extents[axis] }
        return Shape(rank: rank + 1, extents: grown)
    }
    public var description: String { "(" + dimensions.map(String.init).joined(separator: ", ") + ")" }
}
