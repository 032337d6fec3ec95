import Engine

/// A change of training the audit tries on the same data, measured like another architecture:
/// each turns one setting of the recipe to its other value, and costs no data.
public enum TrainingChange: String, Sendable, CaseIterable {
    /// The other learning-rate schedule: cosine where the recipe's rate is constant (or steps),
    /// constant where it is cosine.
    case schedule
    /// Random flips in the loop, along both axes, where the recipe has none; none where it flips.
    case flips

    /// `recipe` with this setting turned to its other value.
    public func applied(to recipe: Recipe) -> Recipe {
        var changed = recipe
        switch self {
        case .schedule:
            changed.training.schedule.decay = if case .cosine = recipe.training.schedule.decay { .constant } else { .cosine(minimum: 0) }
        case .flips:
            changed.training.randomFlips = recipe.training.randomFlips.isEmpty ? .both : []
        }
        return changed
    }

    /// How `flywheel audit` (or `train`) is run to train the changed recipe: "with --schedule cosine",
    /// "with --flips", "without --flips".
    public func option(from recipe: Recipe) -> String {
        switch self {
        case .schedule: if case .cosine = recipe.training.schedule.decay { "with --schedule constant" } else { "with --schedule cosine" }
        case .flips: recipe.training.randomFlips.isEmpty ? "with --flips" : "without --flips"
        }
    }

    /// What the lever does to `recipe`, as the report says it.
    public func action(from recipe: Recipe) -> String {
        switch self {
        case .schedule:
            "train with a \(applied(to: recipe).training.schedule.decay) instead of a \(recipe.training.schedule.decay)"
        case .flips:
            recipe.training.randomFlips.isEmpty ? "train with random flips in the loop (both axes)" : "train without random flips"
        }
    }
}
