import Datasets
import Engine
import Store

/// The data-centric arm holds one recipe fixed (the baseline's): every operation that needs
/// predictions — cross-validation, error analysis, active learning — trains it, so the data
/// improves around one model.
extension Recipe {
    /// A model initialised from `seed` and trained on `samples` of `data` with their delivered labels.
    /// - Returns: the model and what training cost (one training, its FLOPs).
    /// - Throws: `TrainingDiverged` when the loss stopped being finite (the model would predict nothing).
    public func train(on data: Dataset, samples: [Int], seed: UInt64) throws -> (Sequential, Effort) {
        let trained = try train(try data.trainingImages(samples, for: training), seed: seed)
        guard trained.report.status != .diverged else {
            throw TrainingDiverged(what: "\(architecture.rawValue) from seed \(seed)", epoch: trained.report.epochs.count + 1,
                                   learningRate: training.learningRate)
        }
        return (trained.model, Effort(trainings: 1, trainFLOPs: trained.report.trainingFLOPs))
    }
}

extension PredictedProbabilities {
    /// `model`'s predicted probabilities for `samples` of `data` (rows in that order).
    public init(of model: Sequential, on data: Dataset, samples: [Int]) throws {
        guard !samples.isEmpty else { try self.init(values: [], classes: data.classNames.count); return }
        let scored = evaluate(model: model, on: try data.labeledImages(samples))
        try self.init(scored.probabilities.map { min(max($0, 0), 1) }, classes: data.classNames.count)
    }
}
