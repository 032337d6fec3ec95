import Engine

/// A change of training the audit tries on the same data, measured like another architecture:
/// each turns one setting of the recipe to its other value, and costs no data.
public enum TrainingChange: String, Sendable, CaseIterable {
    /// The other learning-rate schedule: cosine where the recipe's rate is constant (or steps),
    /// constant where it is cosine.
    case schedule
    /// Random flips in the loop, along both axes, where the recipe has none; none where it flips.
    case flips
    /// The loss weighted by inverse class frequency (`SampleWeights.balanced`) where the recipe
    /// weighs images otherwise; uniform weights where it is class-weighted. Not among the
    /// defaults: the remedy to try where one class dominates.
    case classWeights = "class-weights"

    /// The changes an audit tries unless told otherwise.
    public static let defaults: [TrainingChange] = [.schedule, .flips]

    /// `recipe` with this setting turned to its other value.
    public func applied(to recipe: Recipe) -> Recipe {
        var changed = recipe
        switch self {
        case .schedule:
            changed.training.schedule.decay = if case .cosine = recipe.training.schedule.decay { .constant } else { .cosine(minimum: 0) }
        case .flips:
            changed.training.randomFlips = recipe.training.randomFlips.isEmpty ? .both : []
        case .classWeights:
            changed.training.sampleWeights = recipe.training.sampleWeights == .balanced ? .uniform : .balanced
        }
        return changed
    }

    /// How `flywheel audit` (or `train`) is run to train the changed recipe: "with --schedule cosine",
    /// "with --flips", "without --flips".
    public func option(from recipe: Recipe) -> String {
        switch self {
        case .schedule: if case .cosine = recipe.training.schedule.decay { "with --schedule constant" } else { "with --schedule cosine" }
        case .flips: recipe.training.randomFlips.isEmpty ? "with --flips" : "without --flips"
        case .classWeights: "with --sample-weights \(applied(to: recipe).training.sampleWeights.rawValue)"
        }
    }

    /// What the lever does to `recipe`, as the report says it.
    public func action(from recipe: Recipe) -> String {
        switch self {
        case .schedule:
            "train with a \(applied(to: recipe).training.schedule.decay) instead of a \(recipe.training.schedule.decay)"
        case .flips:
            recipe.training.randomFlips.isEmpty ? "train with random flips in the loop (both axes)" : "train without random flips"
        case .classWeights:
            recipe.training.sampleWeights == .balanced ? "train with every image weighted alike instead of by inverse class frequency"
                : "weight the loss by inverse class frequency (each class alike)"
        }
    }
}
