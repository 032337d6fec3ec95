import Datasets

/// Images far from the rest of their class and doubted by the model: an image's class distance
/// is the mean signature distance (`ImageSignatures`) to its five nearest images of the same
/// given label, divided by the median of that distance over the class; an outlier has a class
/// distance above 2 and an out-of-sample probability of its given label under 0.5.
public struct ClassOutliers: Sendable {
    /// Class distance per sample of `samples` (NaN in a class of fewer than two images).
    public let classDistance: [Double]
    /// The outliers (ids), farthest first.
    public let outliers: [Int]
    public let samples: [Int]

    /// - Parameter labelProbability: per sample of `samples`, the out-of-sample probability of its given label.
    public init(_ samples: [Int], in data: Dataset, labelProbability: [Double], neighbours: Int = 5) {
        self.samples = samples
        var distance = [Double](repeating: .nan, count: samples.count)
        for label in Set(samples.map { data.delivered[$0] }) {
            let rows = samples.indices.filter { data.delivered[samples[$0]] == label }
            let signatures = ImageSignatures(of: rows.map { samples[$0] }, in: data)
            var nearest = [Double](repeating: .nan, count: rows.count)
            signatures.forEachDistanceRow { row, distances in
                var others = (0..<rows.count).filter { $0 != row }.map { Double(distances[$0]) }
                others.sort()
                let closest = others.prefix(neighbours)
                nearest[row] = closest.reduce(0, +) / Double(closest.count)
            }
            let finite = nearest.filter { !$0.isNaN }.sorted()
            guard !finite.isEmpty else { continue }
            let median = max(finite[finite.count / 2], 1e-9)
            for (position, row) in rows.enumerated() { distance[row] = nearest[position] / median }
        }
        classDistance = distance
        outliers = samples.indices.filter { distance[$0] > 2 && labelProbability[$0] < 0.5 }
            .sorted { distance[$0] > distance[$1] }.map { samples[$0] }
    }
}
