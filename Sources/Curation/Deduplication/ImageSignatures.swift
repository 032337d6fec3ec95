import Datasets
import Engine

/// What the duplicate search compares: each image averaged down to at most 16 × 16 cells per
/// channel, centred on its own mean and scaled to unit length. Brightness and contrast changes
/// vanish, and the Euclidean distance between two signatures is √(2 − 2ρ), ρ the correlation of
/// the two images' pixels: 0 for copies, about √2 for unrelated images. An image of one flat
/// colour has the zero signature (√2 from every other image); exact copies are found apart.
/// Sixteen cells a side rather than 32 halve the distance that pixel noise (re-encoding) puts
/// between copies, measured on the NEU images and the three scenarios, while distinct images
/// keep most of theirs.
struct ImageSignatures {
    /// Row-major (count × dimension).
    let vectors: [Float]
    let count: Int
    let dimension: Int

    /// The signatures of `samples` of `data`, in that order.
    init(of samples: [Int], in data: Dataset, side: Int = 16) {
        let rows = min(side, data.height), columns = min(side, data.width), c = data.channels
        dimension = rows * columns * c
        count = samples.count
        var vectors = [Float](repeating: 0, count: count * dimension)
        for (row, sample) in samples.enumerated() {
            let signature = Self.signature(of: sample, in: data, rows: rows, columns: columns)
            vectors.replaceSubrange((row * dimension)..<((row + 1) * dimension), with: signature)
        }
        self.vectors = vectors
    }

    /// One image's cells (area averages), centred and scaled to unit length.
    private static func signature(of sample: Int, in data: Dataset, rows: Int, columns: Int) -> [Float] {
        let (h, w, c) = (data.height, data.width, data.channels)
        var sums = [Double](repeating: 0, count: rows * columns * c), counts = [Double](repeating: 0, count: rows * columns)
        let base = sample * data.imageSize
        for y in 0..<h {
            for x in 0..<w {
                let cell = (y * rows / h) * columns + x * columns / w
                counts[cell] += 1
                for k in 0..<c { sums[cell * c + k] += Double(data.pixels[base + (y * w + x) * c + k]) }
            }
        }
        let cells = sums.indices.map { sums[$0] / counts[$0 / c] }
        let mean = cells.reduce(0, +) / Double(cells.count)
        let norm = cells.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }.squareRoot()
        guard norm > 1e-6 else { return [Float](repeating: 0, count: cells.count) }
        return cells.map { Float(($0 - mean) / norm) }
    }

    /// Calls `body(row, distances)` for every signature with its distances to all of them,
    /// computing the Gram matrix a block of rows at a time (one sgemm per block).
    func forEachDistanceRow(_ body: (Int, UnsafeBufferPointer<Float>) -> Void) {
        let n = count, d = dimension, block = 256
        guard n > 1 else { return }
        var gram = [Float](repeating: 0, count: min(block, n) * n)
        vectors.withUnsafeBufferPointer { vectors in
            for start in stride(from: 0, to: n, by: block) {
                let rows = min(block, n - start)
                gram.withUnsafeMutableBufferPointer { g in
                    sgemm(transposeA: false, transposeB: true, m: rows, n: n, k: d, a: vectors.baseAddress! + start * d, lda: d,
                          b: vectors.baseAddress!, ldb: d, beta: 0, c: g.baseAddress!, ldc: n)
                    for i in 0..<(rows * n) { g[i] = max(0, 2 - 2 * g[i]).squareRoot() }
                    for row in 0..<rows { body(start + row, UnsafeBufferPointer(rebasing: g[(row * n)..<((row + 1) * n)])) }
                }
            }
        }
    }
}
