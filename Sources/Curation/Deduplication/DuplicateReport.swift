import Datasets

/// Duplicates among a dataset's training, validation and test images, sorted by where they
/// sit: copies inside the training split (redundant), and training images that copy validation
/// or test images (leakage, which inflates the scores measured on those splits).
public struct DuplicateReport: Sendable {
    /// The search over the training, validation and test images together.
    public let search: DuplicateDetector.Search
    /// Duplicate pairs inside the training split.
    public let withinTraining: [DuplicateDetector.Pair]
    /// Pairs of a training image (`first`) and a test image (`second`).
    public let trainTestLeaks: [DuplicateDetector.Pair]
    /// Pairs of a training image (`first`) and a validation image (`second`).
    public let trainValidationLeaks: [DuplicateDetector.Pair]

    public init(_ data: Dataset, detector: DuplicateDetector = DuplicateDetector()) {
        let searched = data.splits.indices.filter { data.splits[$0] != .pool }
        search = detector.search(searched, in: data)
        withinTraining = search.pairs.filter { data.splits[$0.first] == .train && data.splits[$0.second] == .train }
        trainTestLeaks = Self.crossing(search.pairs, .train, .test, data)
        trainValidationLeaks = Self.crossing(search.pairs, .train, .validation, data)
    }

    /// Training samples to drop so that one image of each group of training duplicates stays
    /// (the lowest-numbered; groups are the connected pairs, so chains count as one group).
    public var redundant: Set<Int> {
        var representative: [Int: Int] = [:]
        func root(_ sample: Int) -> Int {
            var current = sample
            while let parent = representative[current], parent != current { current = parent }
            return current
        }
        for pair in withinTraining {
            let (a, b) = (root(pair.first), root(pair.second))
            if a != b { representative[max(a, b)] = min(a, b) }
        }
        return Set(withinTraining.flatMap { [$0.first, $0.second] }.filter { root($0) != $0 })
    }

    /// Pairs with one sample in `from` and the other in `to`, oriented (from, to).
    private static func crossing(_ pairs: [DuplicateDetector.Pair], _ from: Split, _ to: Split, _ data: Dataset) -> [DuplicateDetector.Pair] {
        pairs.compactMap { pair in
            switch (data.splits[pair.first], data.splits[pair.second]) {
            case (from, to): return pair
            case (to, from): return DuplicateDetector.Pair(first: pair.second, second: pair.first, exact: pair.exact, distance: pair.distance)
            default: return nil
            }
        }
    }
}
