/// Images and their labels as the engine consumes them: a float tensor (N, C, H, W) and one
/// class index per image.
public struct LabeledImages: @unchecked Sendable {
    public let images: Tensor
    public let labels: [Int32]
    public let classes: Int

    /// - Throws: `EngineError.shapeMismatch` when the image tensor is not 4-D or the counts
    ///   differ; `EngineError.invalidOption` for a label outside `0..<classes`.
    public init(images: Tensor, labels: [Int32], classes: Int) throws {
        guard images.shape.rank == 4 else {
            throw EngineError.shapeMismatch("images must be (N, C, H, W), got \(images.shape)")
        }
        guard images.shape.batch == labels.count else {
            throw EngineError.shapeMismatch("\(images.shape.batch) images but \(labels.count) labels")
        }
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
            throw EngineError.invalidOption("label \(labels[bad]) of sample \(bad) is outside 0..<\(classes)")
        }
        self.images = images; self.labels = labels; self.classes = classes
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

    init(maxBatch: Int) {
        labelBuffer = .allocate(capacity: max(maxBatch, 1))
    }

    func release() { labelBuffer.deallocate() }

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
}
