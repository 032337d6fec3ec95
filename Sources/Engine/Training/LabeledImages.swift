/// Images and their labels as the engine consumes them: a float tensor (N, C, H, W), one
/// class index per image and, optionally, one loss weight per image.
public struct LabeledImages: @unchecked Sendable {
    public let images: Tensor
    public let labels: [Int32]
    public let classes: Int
    /// Per image, its weight in the training loss (nil: all 1).
    public let weights: [Float]?

    /// - Throws: `EngineError.shapeMismatch` when the image tensor is not 4-D or the counts
    ///   differ; `EngineError.invalidOption` for a label outside `0..<classes` or a weight that
    ///   is negative or not finite.
    public init(images: Tensor, labels: [Int32], classes: Int, weights: [Float]? = nil) throws {
        guard images.shape.rank == 4 else {
            throw EngineError.shapeMismatch("images must be (N, C, H, W), got \(images.shape)")
        }
        guard images.shape.batch == labels.count else {
            throw EngineError.shapeMismatch("\(images.shape.batch) images but \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
            throw EngineError.invalidOption("label \(labels[bad]) of sample \(bad) is outside 0..<\(classes)")
        }
        if let weights {
            guard weights.count == labels.count else { throw EngineError.shapeMismatch("\(weights.count) weights but \(labels.count) labels") }
            if let bad = weights.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
                throw EngineError.invalidOption("weight \(weights[bad]) of sample \(bad) is not a finite value ≥ 0")
            }
        }
        self.images = images; self.labels = labels; self.classes = classes; self.weights = weights
    }

    public var count: Int { labels.count }
    /// Per-sample image shape (C, H, W).
    public var sampleShape: Shape { images.shape.sample }
}

/// Copies chosen samples into a reusable batch buffer, so iterating over minibatches
/// allocates nothing after the first batch.
struct BatchAssembler {
    private var images = Workspace()
    private var labelBuffer: UnsafeMutableBufferPointer<Int32>
    private var weightBuffer: UnsafeMutableBufferPointer<Float>

    init(maxBatch: Int) {
        labelBuffer = .allocate(capacity: max(maxBatch, 1))
        weightBuffer = .allocate(capacity: max(maxBatch, 1))
    }

    func release() { labelBuffer.deallocate(); weightBuffer.deallocate() }

    /// The loss weights of the samples `order[range]` of `data`, nil when it has none.
    func weights(of data: LabeledImages, order: [Int], range: Range<Int>) -> UnsafeBufferPointer<Float>? {
        guard let weights = data.weights else { return nil }
        for (slot, position) in range.enumerated() { weightBuffer[slot] = weights[order[position]] }
        return UnsafeBufferPointer(rebasing: weightBuffer[0..<range.count])
    }

    /// The samples `order[range]` of `data` as one batch.
    mutating func batch(of data: LabeledImages, order: [Int], range: Range<Int>) -> (Tensor, UnsafeBufferPointer<Int32>) {
        precondition(range.count <= labelBuffer.count, "batch of \(range.count) exceeds the assembler's \(labelBuffer.count)")
        let per = data.sampleShape.count
        let x = images.tensor(data.sampleShape.batched(range.count))
        for (slot, position) in range.enumerated() {
            let index = order[position]
            (x.pointer + slot * per).update(from: data.images.pointer + index * per, count: per)
            labelBuffer[slot] = data.labels[index]
        }
        return (x, UnsafeBufferPointer(rebasing: labelBuffer[0..<range.count]))
    }

    /// The same batch with each image flipped along each axis in `axes` with probability ½, drawn
    /// from `generator` (two draws per sample, in batch order, whichever axes are allowed).
    mutating func batch(of data: LabeledImages, order: [Int], range: Range<Int>, flipping axes: RandomFlips,
                        with generator: inout SplitMix64) -> (Tensor, UnsafeBufferPointer<Int32>) {
        let (x, y) = batch(of: data, order: order, range: range)
        // x: (N, C, H, W); flips run per channel plane, in place.
        let shape = data.sampleShape
        let (c, h, w) = (shape[0], shape[1], shape[2])
        for slot in 0..<range.count {
            let horizontal = generator.next() & 1 == 1 && axes.contains(.horizontal)
            let vertical = generator.next() & 1 == 1 && axes.contains(.vertical)
            for plane in 0..<c {
                let p = x.pointer + (slot * c + plane) * h * w
                if horizontal {
                    for row in 0..<h {
                        var line = UnsafeMutableBufferPointer(start: p + row * w, count: w)
                        line.reverse()
                    }
                }
                if vertical { for row in 0..<(h / 2) { swapRows(p, row, h - 1 - row, width: w) } }
            }
        }
        return (x, y)
    }

    /// Jitters every image of the batch `x` (its first `count` samples) in place, in batch order.
    func jitter(_ x: Tensor, count: Int, sampleShape: Shape, with jitter: PhotometricJitter, generator: inout SplitMix64) {
        let per = sampleShape.count
        for slot in 0..<count { jitter.apply(to: x.pointer + slot * per, count: per, with: &generator) }
    }

    private func swapRows(_ p: UnsafeMutablePointer<Float>, _ a: Int, _ b: Int, width: Int) {
        for i in 0..<width { (p[a * width + i], p[b * width + i]) = (p[b * width + i], p[a * width + i]) }
    }
}
