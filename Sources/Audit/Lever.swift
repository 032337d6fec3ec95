import Harness
import Store

/// One thing a team can do, with what the audit estimates it is worth: the accuracy it gains
/// on the scored split (over seeds, paired with the baseline), and what it costs in the
/// experiment's cost units (`CostSchedule`).
public struct Lever: Sendable {
    /// What kind of change it is.
    public enum Kind: String, Sendable, CaseIterable {
        case reviewLabels = "review labels"
        case collectData = "collect data"
        case changeModel = "change the model"
        case changeTraining = "change the training"
        case removeDuplicates = "remove duplicates"
    }

    public let kind: Kind
    /// What exactly is done ("take the suggested label for the 87 flagged images").
    public let action: String
    /// Accuracy gain per seed (fractions; 0.02 = two points), in seed order; NaN for a seed whose
    /// training with the lever diverged (left out of the mean and its interval, named in `basis`).
    public let gains: [Double]
    /// Cost in cost units.
    public let cost: Double
    /// How the gain was estimated ("retrained, 3 seeds" or "projected from the learning curve").
    public let basis: String
    /// The classes a targeted collection adds images of (empty for every other lever).
    public var classes: [Int] = []
    /// Which automatic stand-in estimated a review's worth (nil for every other lever).
    public var standIn: ReviewStandIn?
    /// For a change of training, how to run the audit under the changed recipe ("with --schedule
    /// cosine", "without --flips"; nil for every other lever).
    public var option: String?

    /// What stands in for a person's review when the audit estimates its worth.
    public enum ReviewStandIn: String, Sendable, CaseIterable {
        /// Every flagged image dropped from the training data.
        case dropFlagged = "drop all flagged"
        /// Every flagged image given its suggested label.
        case takeSuggestions = "take every suggestion"
    }

    /// The gains of the seeds whose training converged.
    public var measuredGains: [Double] { gains.filter { !$0.isNaN } }

    /// Mean gain with its 95% t interval over the seeds measured; nil when the lever's training
    /// diverged on every seed.
    public var gain: Summary? { measuredGains.isEmpty ? nil : Summary(measuredGains) }

    /// The mean gain over the seeds measured; NaN when none was.
    public var meanGain: Double { gain?.mean ?? .nan }

    /// Two-sided p-value of the paired t-test that the mean gain is zero, over two or more measured seeds.
    public var pValue: Double? {
        let measured = measuredGains
        return measured.count > 1 ? PairedComparison(arm: measured, baseline: measured.map { _ in 0 }).pValue : nil
    }

    /// Levers best first by mean gain; those that could not be measured last, in the order given.
    public static func ranked(_ levers: [Lever]) -> [Lever] {
        levers.enumerated().sorted { a, b in
            let x = a.element.gain?.mean ?? -.infinity, y = b.element.gain?.mean ?? -.infinity
            return x != y ? x > y : a.offset < b.offset
        }.map(\.element)
    }
}
