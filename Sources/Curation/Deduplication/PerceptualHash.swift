import Datasets

/// A 64-bit difference hash (dHash): the image in gray, averaged down to 9 × 8 cells, one bit
/// per horizontally adjacent pair (left brighter than right). Near-identical images (re-encoded,
/// slightly shifted in brightness, resized) differ in few bits; different images in about half.
public struct PerceptualHash: Sendable, Hashable {
    public let bits: UInt64

    public init(bits: UInt64) { self.bits = bits }

    /// The hash of sample `index` of `data`.
    public init(of data: Dataset, sample index: Int) {
        let (h, w, c) = (data.height, data.width, data.channels)
        var cells = [Double](repeating: 0, count: 72), counts = [Double](repeating: 0, count: 72)
        let base = index * data.imageSize
        for y in 0..<h {
            for x in 0..<w {
                var gray = 0.0
                for k in 0..<c { gray += Double(data.pixels[base + (y * w + x) * c + k]) }
                let cell = (y * 8 / h) * 9 + x * 9 / w
                cells[cell] += gray / Double(c)
                counts[cell] += 1
            }
        }
        let mean = zip(cells, counts).map { $1 > 0 ? $0 / $1 : 0 }
        var bits: UInt64 = 0
        for row in 0..<8 { for column in 0..<8 where mean[row * 9 + column] > mean[row * 9 + column + 1] { bits |= 1 << UInt64(row * 8 + column) } }
        self.bits = bits
    }

    /// Bits that differ.
    public func distance(to other: PerceptualHash) -> Int { (bits ^ other.bits).nonzeroBitCount }
}
