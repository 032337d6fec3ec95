import Store

/// An arm's test accuracy over seeds, with its paired comparison against the baseline.
public struct ArmResult: Sendable {
    public let arm: Arm
    /// The model-centric arm's upper bound: per seed, the candidate best on the gold test set —
    /// a choice no team without clean test labels can make.
    public let isUpperBound: Bool
    /// The arm's name in reports: `model-centric (best on test, upper bound)` for the upper bound.
    public var label: String { isUpperBound ? arm.rawValue + Self.upperBoundSuffix : arm.rawValue }
    /// What `label` appends to the arm's name for the upper bound.
    public static let upperBoundSuffix = " (best on test, upper bound)"
    /// Test accuracy per seed.
    public let accuracy: [Int: Double]
    public let summary: Summary
    /// Against the baseline on the same seeds, with its verdict (nil for the baseline itself).
    public let judgement: Judgement?
    /// The paired difference against the baseline (nil for the baseline itself).
    public var comparison: PairedComparison? { judgement?.paired }
    /// How the arm's choice among its candidates fared against the best of them on the gold test
    /// set, chosen on validation as delivered and on the checked validation images (nil for an
    /// arm that does not choose).
    public let regret: ChoiceRegret?
    /// Trainings and training FLOPs the arm spent, over all seeds (for the model-centric arm:
    /// every variant and stack tried, not only the chosen one; for the data-centric arm: the
    /// models its steps trained too — cross-validation folds, error analysis, active-learning rounds).
    public let trainings: Int
    public let trainFLOPs: Double
    /// CPU-hours of every trial the arm paid for, over all seeds (wall time × engine threads).
    public let cpuHours: Double
    /// What the arm's data steps spent, over all seeds.
    public let stepEffort: Effort
    /// The validation images checked so the arm could choose, over all seeds (charged to every
    /// arm that chooses, as the review was done for all of them).
    public let selectionEffort: Effort
    /// What the arm's data steps did and spent per seed, averaged, by step and stored name
    /// ("augment.samples_added": 720, "relabel.reviewed": 48, …).
    public let stepValues: [String: Double]
    /// Per class: test recall, mean over seeds.
    public let recall: [Double]
}

/// What an arm's choice on validation cost it: per seed, the test accuracy of the best candidate
/// on the gold test set minus that of the candidate chosen, averaged over seeds, choosing on
/// validation as delivered and on the checked validation images.
public struct ChoiceRegret: Sendable {
    /// Mean regret choosing on validation as delivered.
    public let delivered: Double
    /// Mean regret choosing on the checked images (nil: none were checked).
    public let verified: Double?
    /// Seeds on which the two choices differ (nil: none were checked).
    public let seedsWhereTheyDiffer: Int?
}

/// One candidate of a choosing arm over seeds: the baseline, a variant, a stack, a sub-arm.
public struct VariantResult: Sendable {
    public let name: String
    public let testAccuracy: Summary
    public let validationAccuracy: Summary
    /// Accuracy on the checked validation images (nil: none were checked).
    public let verifiedValidationAccuracy: Summary?
    /// Seeds on which the arm's chooser picked this candidate (a seed whose choice ended in a tie
    /// of k candidates counts 1/k for each).
    public let timesChosen: Double
}
