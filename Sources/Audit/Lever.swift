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
    /// Accuracy gain per seed (fractions; 0.02 = two points), in seed order.
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

    /// Mean gain with its 95% t interval over seeds.
    public var gain: Summary { Summary(gains) }

    /// Two-sided p-value of the paired t-test that the mean gain is zero.
    public var pValue: Double { PairedComparison(arm: gains, baseline: gains.map { _ in 0 }).pValue }
}
