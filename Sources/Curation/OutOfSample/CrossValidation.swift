import Datasets
import Engine
import Store

/// Stratified K-fold cross-validation: every sample gets a predicted-probability row from a model
/// trained on the other folds, one that never saw it (`cleanlab.count.estimate_cv_predicted_probabilities`).
public struct CrossValidation: Sendable {
    public var folds: Int
    public var seed: UInt64

    /// - Throws: `CurationError.invalidInput` when `folds` < 2.
    public init(folds: Int = 5, seed: UInt64) throws {
        guard folds >= 2 else { throw CurationError.invalidInput("folds must be at least 2, got \(folds)") }
        self.folds = folds; self.seed = seed
    }

    /// Fold per sample: each class's samples shuffled (seeded) and dealt round-robin, so every
    /// fold holds each class in proportion.
    public func assignFolds(labels: [Int]) -> [Int] {
        var generator = SplitMix64(seed: seed)
        var fold = [Int](repeating: 0, count: labels.count)
        var next = 0
        for k in Set(labels).sorted() {
            var members = labels.indices.filter { labels[$0] == k }
            generator.shuffle(&members)
            for i in members { fold[i] = next % folds; next += 1 }
        }
        return fold
    }

    /// What the fold models predicted.
    public struct Predictions: Sendable {
        /// Per sample cross-validated, in order: the fold model that did not train on it.
        public let outOfSample: PredictedProbabilities
        /// Per group of extra samples scored, per sample in order: the mean of every fold model's
        /// probabilities (none trained on it), so error analysis on a held-out split needs no
        /// further training. Each group is scored on its own (its own batches).
        public let scored: [PredictedProbabilities]
        public let effort: Effort
    }

    /// Out-of-sample probabilities for `samples`, and the fold models' mean probabilities for each
    /// group of `scoring` (samples outside `samples`, such as the validation split and the pool).
    /// - Throws: `CurationError.invalidInput` when there are fewer samples than folds.
    public func predict(recipe: Recipe, data: Dataset, samples: [Int], scoring groups: [[Int]] = []) throws -> Predictions {
        guard samples.count >= folds else {
            throw CurationError.invalidInput("cross-validation needs at least \(folds) samples, got \(samples.count)")
        }
        let k = data.classNames.count
        let fold = assignFolds(labels: samples.map { Int(data.delivered[$0]) })
        var rows = [Double](repeating: 0, count: samples.count * k)
        var means = groups.map { [Double](repeating: 0, count: $0.count * k) }
        var effort = Effort()
        for f in 0..<folds {
            let heldOut = samples.indices.filter { fold[$0] == f }
            let (trained, cost) = try TrainingDiverged.naming("cross-validation fold \(f + 1) of \(folds)") {
                try recipe.train(on: data, samples: samples.indices.filter { fold[$0] != f }.map { samples[$0] }, seed: seed &+ UInt64(f))
            }
            effort += cost
            let predicted = try PredictedProbabilities(of: trained, on: data, samples: heldOut.map { samples[$0] })
            for (row, position) in heldOut.enumerated() {
                for c in 0..<k { rows[position * k + c] = predicted[row, c] }
            }
            for (g, scored) in groups.enumerated() {
                let extra = try PredictedProbabilities(of: trained, on: data, samples: scored)
                for i in means[g].indices { means[g][i] += extra.values[i] / Double(folds) }
            }
        }
        return Predictions(outOfSample: try PredictedProbabilities(values: rows, classes: k),
                           scored: try means.map { try PredictedProbabilities(values: $0.map { min(max($0, 0), 1) }, classes: k) }, effort: effort)
    }
}
