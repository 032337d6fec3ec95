import Datasets
import Engine

/// The model the data-centric arm holds fixed: an architecture and its training settings. Every
/// operation that needs predictions (cross-validation, error analysis, active learning) trains
/// this model, so the data improves around one model.
public struct FixedModel: Sendable, Equatable {
    public var architecture: Architecture
    public var dropout: Float
    public var training: TrainingConfig

    public init(architecture: Architecture = .cnnSmall, dropout: Float = 0, training: TrainingConfig = TrainingConfig()) {
        self.architecture = architecture; self.dropout = dropout; self.training = training
    }

    /// A model initialised from `seed` and trained on `samples` with their delivered labels.
    /// - Returns: the model and what training cost (one training, its FLOPs).
    public func train(on data: Dataset, samples: [Int], seed: UInt64) throws -> (Sequential, Effort) {
        let model = try ModelSpec(architecture: architecture, inputChannels: data.channels, imageSize: data.height,
                                  classes: data.classNames.count, dropout: dropout).build(seed: seed)
        var settings = training
        settings.shuffleSeed = seed &+ 1
        let report = try Trainer(model: model, config: settings).fit(try data.labeledImages(samples))
        return (model, Effort(trainings: 1, trainFLOPs: report.trainingFLOPs))
    }

    /// The model's predicted probabilities for `samples` (rows in that order).
    public static func probabilities(of model: Sequential, on data: Dataset, samples: [Int]) throws -> PredictedProbabilities {
        guard !samples.isEmpty else { return try PredictedProbabilities(values: [], classes: data.classNames.count) }
        let scored = evaluate(model: model, on: try data.labeledImages(samples))
        return try PredictedProbabilities(scored.probabilities.map { min(max($0, 0), 1) }, classes: data.classNames.count)
    }
}
