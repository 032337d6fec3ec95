import Datasets

/// Exact and near-duplicate images: exact when every pixel is equal, near when their perceptual
/// hashes differ in at most `maxDistance` bits.
public struct DuplicateFinder: Sendable {
    public var maxDistance: Int

    public init(maxDistance: Int = 4) { self.maxDistance = maxDistance }

    /// A pair of samples that look the same.
    public struct Pair: Sendable, Equatable {
        public let first: Int, second: Int
        public let exact: Bool
    }

    /// What the search found.
    public struct Report: Sendable {
        /// Duplicate pairs inside the training split (first < second).
        public let withinTraining: [Pair]
        /// Training samples that duplicate a test sample: leakage, which inflates test scores.
        public let trainTestLeaks: [Pair]

        /// Later members of each training duplicate pair: removing them keeps one copy of each image.
        public var redundant: Set<Int> { Set(withinTraining.map(\.second)) }
    }

    public func find(in data: Dataset) -> Report {
        let train = data.indices(in: .train), test = data.indices(in: .test)
        let hashes = Dictionary(uniqueKeysWithValues: (train + test).map { ($0, PerceptualHash(of: data, sample: $0)) })
        var within: [Pair] = [], leaks: [Pair] = []
        for (position, a) in train.enumerated() {
            for b in train[(position + 1)...] { if let pair = compare(a, b, data, hashes) { within.append(pair) } }
            for t in test { if let pair = compare(a, t, data, hashes) { leaks.append(pair) } }
        }
        return Report(withinTraining: within, trainTestLeaks: leaks)
    }

    private func compare(_ a: Int, _ b: Int, _ data: Dataset, _ hashes: [Int: PerceptualHash]) -> Pair? {
        guard hashes[a]!.distance(to: hashes[b]!) <= maxDistance else { return nil }
        let size = data.imageSize
        let exact = data.pixels[(a * size)..<((a + 1) * size)].elementsEqual(data.pixels[(b * size)..<((b + 1) * size)])
        return Pair(first: a, second: b, exact: exact)
    }
}
