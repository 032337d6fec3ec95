import Curation
import Datasets
import Engine
import Foundation
import Harness

/// Trains the audit's fixed recipe on a set of training samples and scores it, timing each
/// training so that its CPU cost can be priced.
struct AuditTrainer {
    let scoring: AuditScoring
    let threads: Int
    /// Called once per training with a short description of what is being trained.
    let onTraining: (String) -> Void

    /// Accuracy and per-class recall on the scored samples.
    struct Score: Sendable {
        let accuracy: Double
        let recall: [Double]
        /// Per scored sample, whether the model got it right.
        let correct: [Bool]
        let cpuSeconds: Double
    }

    /// Trains `recipe` from `seed` on `samples` of `data` (labels as `data` delivers them) and
    /// scores it on the scored samples' labels.
    func score(_ recipe: Recipe, on data: Dataset, samples: [Int], seed: UInt64, what: String) throws -> Score {
        onTraining(what)
        let start = Date()
        let (model, _) = try recipe.train(on: data, samples: samples, seed: seed)
        let cpuSeconds = Date().timeIntervalSince(start) * Double(threads)
        let probabilities = try PredictedProbabilities(of: model, on: data, samples: scoring.samples)
        let predicted = (0..<scoring.samples.count).map { Int32(probabilities.predictedClass($0)) }
        let evaluation = Evaluation(labels: scoring.labels, predictions: predicted, probabilities: [], classes: data.classNames.count, loss: 0)
        // A class the scored split lacks has no recall (NaN), not a recall of 0.
        let recall = evaluation.recall.indices.map { evaluation.confusion[$0].reduce(0, +) == 0 ? .nan : evaluation.recall[$0] }
        let correct = zip(predicted, scoring.labels).map { $0 == $1 }
        return Score(accuracy: evaluation.accuracy, recall: recall, correct: correct, cpuSeconds: cpuSeconds)
    }
}

/// One training per seed of the same recipe and samples.
struct SeededRuns {
    let trainer: AuditTrainer
    let seeds: [UInt64]

    func scores(_ recipe: Recipe, _ data: Dataset, _ samples: [Int], _ what: String) throws -> [AuditTrainer.Score] {
        try seeds.map { try trainer.score(recipe, on: data, samples: samples, seed: $0, what: "\(what), seed \($0)") }
    }
}
