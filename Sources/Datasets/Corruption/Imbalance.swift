import Engine

/// Class imbalance: keeps each sample of class c in the thinned splits (train, validation and
/// pool unless told otherwise) with probability `keep[c]`; the test set stays balanced. Recorded
/// in the provenance.
public struct Imbalance: Sendable, Equatable {
    public var keep: [Double]
    /// The splits thinned; the others keep every sample.
    public var splits: Set<Split>

    public init(keep: [Double], splits: Set<Split> = [.train, .validation, .pool]) { self.keep = keep; self.splits = splits }

    public func apply(to dataset: Dataset, seed: UInt64) throws -> Dataset {
        guard keep.count == dataset.classNames.count else {
            throw DatasetError.invalid("imbalance: \(keep.count) keep fractions for \(dataset.classNames.count) classes")
        }
        if let bad = keep.first(where: { !($0 >= 0 && $0 <= 1) }) {
            throw DatasetError.invalid("imbalance: keep fractions must be between 0 and 1, got \(bad)")
        }
        var g = SplitMix64(seed: seed)
        let kept = (0..<dataset.count).filter { i in
            !splits.contains(dataset.splits[i]) || Double(g.nextUniform()) < keep[Int(dataset.gold[i] >= 0 ? dataset.gold[i] : dataset.delivered[i])]
        }
        var result = dataset.subset(kept)
        let thinned = splits == [.train, .validation, .pool] ? "" : " splits=" + Split.allCases.filter(splits.contains).map(\.description).joined(separator: ",")
        result.record(step: "imbalance keep=\(keep.map { String($0) }.joined(separator: ","))\(thinned) seed=\(seed)")
        return result
    }
}

extension Dataset {
    /// The samples at `indices`, in that order.
    public func subset(_ indices: [Int]) -> Dataset {
        var pixels: [UInt8] = []
        pixels.reserveCapacity(indices.count * imageSize)
        for i in indices { pixels += self.pixels[(i * imageSize)..<((i + 1) * imageSize)] }
        var result = Dataset(pixels: pixels, height: height, width: width, channels: channels, classNames: classNames,
                             gold: indices.map { gold[$0] }, delivered: indices.map { delivered[$0] },
                             annotators: indices.map { annotators[$0] }, ambiguity: indices.map { ambiguity[$0] },
                             splits: indices.map { splits[$0] }, provenance: provenance,
                             labelsBeforeReview: labelsBeforeReview.map { before in indices.map { before[$0] } })
        result.keepPerImageDetails(of: indices, from: self)
        return result
    }
}
