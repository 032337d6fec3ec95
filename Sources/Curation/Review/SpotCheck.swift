import Datasets
import Engine

/// A person's check of a random sample of the flagged labels: what share of the flags are label
/// errors, and so how many of them a full review would correct. Confident learning flags hard
/// images labelled right as well as wrong labels, and retraining without the flags gains on both
/// (the audit's "drop all flagged" stand-in), so only a person's look tells which the flags are.
/// The sample must be drawn at random from the flags (`sample`), not taken from the top of the
/// ranked review, whose first rows are the likeliest errors.
public struct SpotCheck: Sendable, Equatable {
    /// Flags a spot check draws by default: the share's Wilson interval is then at most ±17 points.
    public static let defaultSize = 30

    /// `size` of `flags` (all of them when there are fewer), drawn at random with `seed`, in random
    /// order: the flags themselves or their review rows (the draw depends only on how many there are).
    public static func sample<Flag>(_ flags: [Flag], size: Int = defaultSize, seed: UInt64) -> [Flag] {
        var generator = SplitMix64(seed: seed ^ 0x5B07_C4EC)
        var order = Array(flags.indices)
        generator.shuffle(&order)
        return order.prefix(size).map { flags[$0] }
    }

    /// Rows of the sample.
    public let sampled: Int
    /// Rows the reviewer filled in; the share counts only these.
    public let reviewed: Int
    /// Reviewed rows whose label the reviewer changed: label errors.
    public let wrong: Int

    /// Counts the rows of a filled-in spot check of `data`: a row is reviewed when its corrected label
    /// is filled in, and a label error when that differs from the label as delivered.
    public init(rows: [ReviewFile.Row], of data: Dataset) {
        sampled = rows.count
        let corrections = rows.compactMap { row in row.corrected.map { (row.sample, $0) } }
        reviewed = corrections.count
        wrong = corrections.filter { data.delivered[$0.0] != $0.1 }.count
    }

    /// The share of reviewed flags that were label errors, with its Wilson interval.
    public var share: Proportion { Proportion(count: wrong, total: reviewed) }

    /// Label errors among all `flags` flags: the share and its 95% interval scaled up (without a
    /// finite-population correction, so the interval errs wide).
    public func errors(among flags: Int) -> (estimate: Double, lower: Double, upper: Double) {
        let (lower, upper) = share.interval(z: ProportionDifference.z95)
        return (share.value * Double(flags), lower * Double(flags), upper * Double(flags))
    }
}
