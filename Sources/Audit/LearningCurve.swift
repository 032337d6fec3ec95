import Engine
import Foundation
import Harness

/// Accuracy against the size of the training set, and what twice the data would buy.
///
/// Per seed, the error e(n) = 1 − accuracy at each training-set size is fitted by a power law
/// e(n) = a · n^(−b) (least squares in log–log, the usual form of empirical learning curves,
/// Hestness et al. 2017), and the gain of doubling the data is projected from the error measured
/// on all of it: e(n) · (1 − 2^(−b)). A curve that does not fall projects no gain, or a loss.
/// The same is done per class on its recall. Errors of zero are floored at half a scored image.
/// How far such a projection can miss on this data is tried one step back (`backtestError`): fitted
/// without all of the data, it projects the last step of the curve, which was measured.
public struct LearningCurve: Sendable {
    /// One training-set size.
    public struct Point: Sendable {
        /// Share of the training split (1 = all of it).
        public let fraction: Double
        /// Training images used.
        public let size: Int
        /// Accuracy per seed.
        public let accuracy: [Double]
        /// Recall per seed, per class.
        public let recall: [[Double]]

        public init(fraction: Double, size: Int, accuracy: [Double], recall: [[Double]]) {
            self.fraction = fraction; self.size = size; self.accuracy = accuracy; self.recall = recall
        }
    }

    /// Ascending sizes; the last is the whole training split.
    public let points: [Point]
    /// Fitted exponent b per seed.
    public let exponents: [Double]
    /// Projected accuracy gain of twice the data, per seed (a fraction: 0.02 = two points).
    public let projectedGain: [Double]
    /// Projected recall gain of twice the data, per class, per seed.
    public let projectedClassGain: [[Double]]
    /// The projection tried one step back, per seed: the power law fitted without the last size
    /// projects the gain from the size before it to all the data, minus the gain measured there
    /// (a fraction; positive: it promised more than came). Nil with fewer than three sizes.
    public let backtestError: [Double]?

    /// - Parameter floor: the smallest error counted (half a scored image).
    public init(points: [Point], floor: Double) {
        precondition(points.count >= 2 && points.last?.fraction == 1, "a learning curve needs two sizes or more, the last all the data")
        self.points = points
        let seeds = points[0].accuracy.count, sizes = points.map { Double($0.size) }
        let classes = points[0].recall.first?.count ?? 0
        func projection(_ errors: [Double]) -> (exponent: Double, gain: Double) {
            let b = Self.exponent(sizes: sizes, errors: errors, floor: floor)
            return (b, max(errors.last!, floor) * (1 - pow(2, -b)))
        }
        let overall = (0..<seeds).map { s in projection(points.map { 1 - $0.accuracy[s] }) }
        exponents = overall.map(\.exponent)
        projectedGain = overall.map(\.gain)
        backtestError = points.count < 3 ? nil : (0..<seeds).map { s in
            let errors = points.map { 1 - $0.accuracy[s] }, last = sizes.count - 1
            let b = Self.exponent(sizes: Array(sizes.dropLast()), errors: Array(errors.dropLast()), floor: floor)
            let before = max(errors[last - 1], floor)
            return before * (1 - pow(sizes[last] / sizes[last - 1], -b)) - (errors[last - 1] - errors[last])
        }
        projectedClassGain = (0..<classes).map { c in
            (0..<seeds).map { s in
                let recalls = points.map { $0.recall[s][c] }
                return recalls.contains(where: \.isNaN) ? .nan : projection(recalls.map { 1 - $0 }).gain
            }
        }
    }

    /// The power law's exponent b of e(n) = a · n^(−b), fitted by least squares in log–log.
    static func exponent(sizes: [Double], errors: [Double], floor: Double) -> Double {
        -slope(x: sizes.map { log($0) }, y: errors.map { log(max($0, floor)) })
    }

    /// Least-squares slope of y on x.
    static func slope(x: [Double], y: [Double]) -> Double {
        let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        let sxy = zip(x, y).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = x.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        return sxx > 0 ? sxy / sxx : 0
    }

    /// `fraction` of each class's members of `samples` (at least one per class), chosen from `seed`.
    static func stratifiedSubset(_ samples: [Int], labels: [Int32], fraction: Double, seed: UInt64) -> [Int] {
        guard fraction < 1 else { return samples }
        var generator = SplitMix64(seed: seed)
        var chosen: [Int] = []
        for k in Set(samples.map { labels[$0] }).sorted() {
            var members = samples.filter { labels[$0] == k }
            generator.shuffle(&members)
            chosen += members.prefix(max(1, Int((fraction * Double(members.count)).rounded())))
        }
        return chosen.sorted()
    }
}
