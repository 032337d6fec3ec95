/// The extents of a tensor, outermost first (NCHW for images: batch, channels, height, width).
public struct Shape: Hashable, Sendable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// Extent of each axis.
    public let dimensions: [Int]

    public init(_ dimensions: [Int]) {
        precondition(dimensions.allSatisfy { $0 >= 0 }, "Shape \(dimensions) has a negative extent")
        self.dimensions = dimensions
    }

    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// Number of axes.
    public var rank: Int { dimensions.count }
    /// Number of elements (the product of the extents).
    public var count: Int { dimensions.reduce(1, *) }
    /// Extent of axis `axis`.
    public subscript(axis: Int) -> Int { dimensions[axis] }
    /// Extent of the first axis (the batch, for activations).
    public var batch: Int { dimensions.first ?? 1 }
    /// The shape of one sample: every axis but the first.
    public var sample: Shape { Shape(Array(dimensions.dropFirst())) }
    /// A batch of `batch` samples of this (per-sample) shape: `batch` prepended as a new first axis.
    public func batched(_ batch: Int) -> Shape { Shape([batch] + dimensions) }
    /// This shape with the first axis replaced by `batch`.
    public func withBatch(_ batch: Int) -> Shape { Shape([batch] + dimensions.dropFirst()) }

    public var description: String { "(" + dimensions.map(String.init).joined(separator: ", ") + ")" }
}
