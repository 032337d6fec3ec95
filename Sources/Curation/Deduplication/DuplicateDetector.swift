import Datasets

/// Exact and near-duplicate images, with a radius that adapts to the data.
///
/// Two images are near duplicates when their signatures (`ImageSignatures`: pixels averaged to at
/// most 16 × 16, centred, unit length) lie closer than `relativeRadius` × the median distance from
/// each searched image to its nearest neighbour — the rule of cleanlab's `near_duplicate` issue,
/// applied to pixels. A fixed threshold cannot serve both textured images, where unrelated
/// images are far apart, and near-identical parts on a plain background, where every image is
/// close to many others: relative to the data's own spacing, only pairs far closer than
/// neighbours usually are count. Exact copies (every pixel equal) are always found, whatever the
/// radius, and are left out of the median so that many copies cannot shrink it.
public struct DuplicateDetector: Sendable, Encodable {
    /// The radius as a fraction of the median nearest-neighbour distance.
    public var relativeRadius: Double

    public init(relativeRadius: Double = 0.1) {
        precondition(relativeRadius >= 0, "the relative radius must be ≥ 0")
        self.relativeRadius = relativeRadius
    }

    /// Two samples that look the same (`first < second` as the search returns them).
    public struct Pair: Sendable, Equatable {
        public let first: Int, second: Int
        /// Every pixel equal.
        public let exact: Bool
        /// Distance between their signatures (0 … 2).
        public let distance: Double
    }

    /// What one search found.
    public struct Search: Sendable {
        /// Duplicate pairs, ordered by first then second sample.
        public let pairs: [Pair]
        /// The median distance from a searched image to its nearest image that is not an exact copy.
        public let typicalDistance: Double
        /// Pairs closer than this are near duplicates.
        public let radius: Double
        /// Per searched sample, the distance to its nearest image that is not an exact copy.
        public let nearestDistance: [Int: Double]
    }

    /// Searches `samples` of `data` for duplicates among themselves.
    public func search(_ samples: [Int], in data: Dataset) -> Search {
        let copyGroup = exactCopyGroups(samples, data)
        let signatures = ImageSignatures(of: samples, in: data)
        var nearest = [Float](repeating: .infinity, count: samples.count)
        signatures.forEachDistanceRow { row, distances in
            for column in 0..<samples.count where copyGroup[column] != copyGroup[row] { nearest[row] = min(nearest[row], distances[column]) }
        }
        let finite = nearest.filter(\.isFinite).map(Double.init)
        let typical = finite.isEmpty ? .nan : median(finite)
        let radius = typical.isNaN ? 0 : relativeRadius * typical
        var pairs: [Pair] = []
        signatures.forEachDistanceRow { row, distances in
            for column in (row + 1)..<samples.count {
                let exact = copyGroup[column] == copyGroup[row]
                guard exact || Double(distances[column]) < radius else { continue }
                pairs.append(Pair(first: samples[row], second: samples[column], exact: exact, distance: exact ? 0 : Double(distances[column])))
            }
        }
        pairs.sort { ($0.first, $0.second) < ($1.first, $1.second) }
        let nearestBySample = Dictionary(uniqueKeysWithValues: zip(samples, nearest.map(Double.init)))
        return Search(pairs: pairs, typicalDistance: typical, radius: radius, nearestDistance: nearestBySample)
    }

    /// Per position in `samples`, the position of the first sample with exactly the same pixels.
    private func exactCopyGroups(_ samples: [Int], _ data: Dataset) -> [Int] {
        var firstWithPixels: [ArraySlice<UInt8>: Int] = [:]
        return samples.enumerated().map { position, sample in
            let pixels = data.pixels[(sample * data.imageSize)..<((sample + 1) * data.imageSize)]
            if let first = firstWithPixels[pixels] { return first }
            firstWithPixels[pixels] = position
            return position
        }
    }

    private func median(_ values: [Double]) -> Double {
        let sorted = values.sorted(), middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}
