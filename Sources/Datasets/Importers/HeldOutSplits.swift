import Engine

/// Splits a source does not give, drawn from the training split it does give: a competition's
/// `train/` and `val/` with no `test/` (the test set kept back), or a bare `train/` folder. Each
/// class's training images are shuffled (seeded) and cut: `fraction` of them, rounded, at least one
/// of every class that has two or more, and never its last — a class keeps a training image.
struct HeldOutSplits {
    /// The share of each class's training images each drawn split takes.
    let fractions: [Split: Double]
    let seed: UInt64

    /// Throws unless the fractions can be drawn from `given` (the source's splits): none is the
    /// training split or one the source gives, each is in (0, 1) and together they are under 1, the
    /// source has training images, and none is named verified (its labels are the training split's).
    func validate(given: [Split], verified: Set<Split>, source: String) throws {
        if let train = fractions[.train] {
            throw DatasetError.invalid("--hold-out train=\(train): the held-out splits are drawn from the training split; name val, test or pool")
        }
        let counts = Dictionary(given.map { ($0, 1) }, uniquingKeysWith: +)
        for split in Split.allCases where fractions[split] != nil {
            if let count = counts[split] {
                throw DatasetError.invalid("--hold-out \(split): \(source) gives a \(split) split already (\(count) images); hold out only splits it does not give")
            }
            if verified.contains(split) {
                throw DatasetError.invalid("--hold-out \(split) with --verified \(split): the held-out images come from the training split, "
                                           + "whose labels nobody checked")
            }
        }
        let total = fractions.values.reduce(0, +)
        guard fractions.values.allSatisfy({ $0 > 0 }), total < 1 else {
            throw DatasetError.invalid("--hold-out: each fraction must be above 0 and together below 1 (of each class's training images), got \(total)")
        }
        guard counts[.train] != nil else {
            throw DatasetError.invalid("--hold-out: \(source) gives no training split to draw from (it gives \(counts.keys.sorted { $0.rawValue < $1.rawValue }.map(\.description).joined(separator: ", ")))")
        }
    }

    /// `splits` with the held-out images moved out of training, and how many each drawn split got.
    func draw(splits: [Split], labels: [Int32]) -> (splits: [Split], counts: [Split: Int]) {
        var result = splits, counts: [Split: Int] = [:]
        var generator = SplitMix64(seed: seed &+ 0x4E1D_0A7E)
        let byClass = Dictionary(grouping: splits.indices.filter { splits[$0] == .train }, by: { labels[$0] })
        for label in byClass.keys.sorted() {
            var members = byClass[label]!
            generator.shuffle(&members)
            var start = 0
            for split in Split.allCases where fractions[split] != nil {
                let left = members.count - start - 1
                let count = min(left, max(1, Int((fractions[split]! * Double(members.count)).rounded())))
                guard count > 0 else { break }
                for sample in members[start..<start + count] { result[sample] = split }
                counts[split, default: 0] += count
                start += count
            }
        }
        return (result, counts)
    }

    /// "test=0.2 (80 images) of each class's training images, seed 1", for the provenance.
    func description(counts: [Split: Int]) -> String {
        Split.allCases.compactMap { split in fractions[split].map { "\(split)=\($0) (\(counts[split] ?? 0) images)" } }.joined(separator: ", ")
            + " of each class's training images, seed \(seed)"
    }
}
