/// Batch-norm statistics re-estimated on unlabelled images of the condition a model will meet
/// (AdaBN: Li et al. 2016): the trained weights are kept, every `BatchNorm2D`'s running mean and
/// variance are replaced by the average over `images` of its batch statistics. A model without
/// batch norm is left as it is. Dropout sits only before the classifier in Flywheel's networks,
/// after the last batch norm, so the training-mode passes here change nothing else.
public enum BatchNormAdaptation {
    /// Re-estimates `model`'s batch-norm statistics on `images` (N × C × H × W), `batchSize` at a
    /// time in order; returns the number of batch-norm layers adapted.
    @discardableResult
    public static func adapt(_ model: Sequential, to images: Tensor, batchSize: Int = 32) throws -> Int {
        let norms = model.batchNorms
        guard !norms.isEmpty else { return 0 }
        try require(images.shape.batch >= 2, "batch-norm adaptation needs at least 2 images, got \(images.shape.batch)")
        let samples = try LabeledImages(images: images, labels: [Int32](repeating: 0, count: images.shape.batch), classes: model.outputShape[0])
        var assembler = BatchAssembler(maxBatch: batchSize)
        defer { assembler.release() }
        let order = Array(0..<samples.count)
        norms.forEach { $0.beginReestimation() }
        defer { norms.forEach { $0.endReestimation() } }
        // A last batch of one image has no variance to give: it joins the batch before it.
        var starts = Array(stride(from: 0, to: samples.count, by: batchSize))
        if samples.count % batchSize == 1 && starts.count > 1 { starts.removeLast() }
        for (number, start) in starts.enumerated() {
            let end = number + 1 < starts.count ? starts[number + 1] : samples.count
            let (x, _) = assembler.batch(of: samples, order: order, range: start..<end)
            _ = model.forward(x, mode: .training)
        }
        return norms.count
    }
}
