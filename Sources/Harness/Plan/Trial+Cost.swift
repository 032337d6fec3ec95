import Engine

extension Trial {
    /// Training FLOPs the trial will spend, estimated before it runs: its recipe's FLOPs per
    /// sample and epoch, times one final training plus the trainings its data steps estimate
    /// (`DataStep.estimatedTrainings`). Only the order trials start in depends on it.
    func estimatedCost(imageSize: Int) -> Double {
        let recipe = variant.recipe
        let model = try? recipe.model(inputChannels: 1, imageSize: imageSize, classes: 2, seed: 0)
        let perEpoch = Double(model?.trainingFLOPsPerSample ?? 1)
        return perEpoch * Double(recipe.training.epochs) * (1 + steps.reduce(0) { $0 + $1.estimatedTrainings })
    }
}
