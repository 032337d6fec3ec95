extension Dataset {
    /// The dataset without the samples at `indices` (order of the rest kept); recorded in the provenance.
    public func removing(_ indices: Set<Int>, reason: String) -> Dataset {
        let keep = (0..<count).filter { !indices.contains($0) }
        var result = self
        result.pixels = []
        result.pixels.reserveCapacity(keep.count * imageSize)
        for i in keep { result.pixels += pixels[(i * imageSize)..<((i + 1) * imageSize)] }
        result.gold = keep.map { gold[$0] }; result.delivered = keep.map { delivered[$0] }
        result.annotators = keep.map { annotators[$0] }; result.ambiguity = keep.map { ambiguity[$0] }
        result.splits = keep.map { splits[$0] }
        result.labelsBeforeReview = labelsBeforeReview.map { before in keep.map { before[$0] } }
        result.keepPerImageDetails(of: keep, from: self)
        result.record(step: "removed \(indices.count) samples: \(reason)")
        return result
    }

    /// Sets the graded-label confidence, agreement, source paths and annotations to those of
    /// `source`'s samples `kept` (in order), the annotations renumbered to the new positions.
    mutating func keepPerImageDetails(of kept: [Int], from source: Dataset) {
        labelConfidence = source.labelConfidence.map { values in kept.map { values[$0] } }
        sourcePaths = source.sourcePaths.map { paths in kept.map { paths[$0] } }
        agreement = source.agreement.map { values in kept.map { values[$0] } }
        guard !source.annotations.isEmpty else { annotations = []; return }
        var positions: [Int: [Int]] = [:]
        for (position, sample) in kept.enumerated() { positions[sample, default: []].append(position) }
        annotations = source.annotations.flatMap { a in
            (positions[a.sample] ?? []).map { Annotation(sample: $0, annotator: a.annotator, label: a.label) }
        }
    }

    /// Sample `index` as an image (for export and review).
    public func image(at index: Int) -> DecodedImage {
        DecodedImage(width: width, height: height, channels: channels, pixels: Array(pixels[(index * imageSize)..<((index + 1) * imageSize)]))
    }
}
