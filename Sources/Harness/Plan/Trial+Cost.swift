import Engine

extension Trial {
    /// Training FLOPs the trial will spend, estimated before it runs: its model's training FLOPs
    /// per sample (`flopsPerSample`, by architecture), its epochs, and one final training plus the
    /// trainings its data steps estimate (`DataStep.estimatedTrainings`). Only the order trials
    /// start in depends on it.
    func estimatedCost(flopsPerSample: Double) -> Double {
        flopsPerSample * Double(variant.recipe.training.epochs) * (1 + steps.reduce(0) { $0 + $1.estimatedTrainings })
    }
}
