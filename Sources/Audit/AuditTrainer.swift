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

    /// The scoring's metric (accuracy or balanced accuracy) and per-class recall on the scored samples.
    struct Score: Sendable {
        let accuracy: Double
        let recall: [Double]
        /// Per scored sample, whether the model got it right.
        let correct: [Bool]
        let cpuSeconds: Double
        /// Set when the training diverged: then the model predicts nothing, and accuracy and recall are NaN.
        var diverged: TrainingDiverged?
    }

    /// Trains `recipe` from `seed` on `samples` of `data` (labels as `data` delivers them) and
    /// scores it on the scored samples' labels; a training that diverges scores NaN and says so.
    func score(_ recipe: Recipe, on data: Dataset, samples: [Int], seed: UInt64, what: String) throws -> Score {
        onTraining(what)
        let start = Date()
        let model: Sequential
        do {
            (model, _) = try recipe.train(on: data, samples: samples, seed: seed)
        } catch var diverged as TrainingDiverged {
            diverged.what = "\(what) (\(recipe.architecture.rawValue))"
            let classes = data.classNames.count
            return Score(accuracy: .nan, recall: Array(repeating: .nan, count: classes), correct: scoring.samples.map { _ in false },
                         cpuSeconds: Date().timeIntervalSince(start) * Double(threads), diverged: diverged)
        }
        let cpuSeconds = Date().timeIntervalSince(start) * Double(threads)
        let probabilities = try PredictedProbabilities(of: model, on: data, samples: scoring.samples)
        let predicted = (0..<scoring.samples.count).map { Int32(probabilities.predictedClass($0)) }
        let evaluation = Evaluation(labels: scoring.labels, predictions: predicted, probabilities: [], classes: data.classNames.count, loss: 0)
        // A class the scored split lacks has no recall (NaN), not a recall of 0.
        let recall = evaluation.recall.indices.map { evaluation.confusion[$0].reduce(0, +) == 0 ? .nan : evaluation.recall[$0] }
        let correct = zip(predicted, scoring.labels).map { $0 == $1 }
        return Score(accuracy: scoring.metric.value(correct: correct, labels: scoring.labels), recall: recall, correct: correct, cpuSeconds: cpuSeconds)
    }
}

/// One training per seed of the same recipe, queued on a pool that runs them side by side.
struct SeededRuns {
    let trainer: AuditTrainer
    let seeds: [UInt64]
    let pool: TrainingPool

    /// Queues `recipe` on `samples` of `data` once per seed.
    func queue(_ recipe: Recipe, _ data: Dataset, _ samples: [Int], _ what: String) -> SeededScores {
        queue(recipe, data, seeds.map { _ in samples }, what)
    }

    /// Queues `recipe` once per seed, on the samples of `data` given for that seed.
    func queue(_ recipe: Recipe, _ data: Dataset, _ samplesPerSeed: [[Int]], _ what: String) -> SeededScores {
        SeededScores(pending: zip(seeds, samplesPerSeed).map { seed, samples in
            pool.add { try trainer.score(recipe, on: data, samples: samples, seed: seed, what: "\(what), seed \(seed)") }
        })
    }
}

/// The scores of a recipe's trainings, one per seed, once their pool has run.
struct SeededScores {
    let pending: [Pending<AuditTrainer.Score>]

    /// The scores in seed order, a diverged training's among them (NaN); throws the first training's failure.
    var scores: [AuditTrainer.Score] { get throws { try pending.map { try $0.value } } }

    /// The scores in seed order, for what every estimate is measured against (the baseline, the
    /// learning curve): a diverged training throws, as nothing can be measured against it.
    var convergedScores: [AuditTrainer.Score] {
        get throws {
            let scores = try self.scores
            if let diverged = scores.compactMap(\.diverged).first { throw diverged }
            return scores
        }
    }
}
