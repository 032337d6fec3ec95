import Datasets
import Engine
import Store

/// The active-learning flywheel: rounds of train → score the unlabelled pool → label the top
/// `batch` by `strategy` → add them to the training data. Records test and validation accuracy
/// against labels spent after every round.
public struct ActiveLearningLoop: Sendable {
    public var rounds: Int
    public var batch: Int
    public var strategy: QueryStrategy
    /// nil: the pool's labels as delivered (the same annotators); a reviewer relabels instead.
    public var labeler: Reviewer?
    public var seed: UInt64

    public init(rounds: Int, batch: Int, strategy: QueryStrategy, labeler: Reviewer? = nil, seed: UInt64) {
        self.rounds = rounds; self.batch = batch; self.strategy = strategy; self.labeler = labeler; self.seed = seed
    }

    /// One point of the learning curve.
    public struct Round: Sendable, Equatable {
        /// Training samples labelled when the model was trained.
        public let labels: Int
        public let validationAccuracy: Double
        /// On the gold-labelled test set.
        public let testAccuracy: Double
    }

    /// - Returns: the dataset after the last acquisition, the curve (one point per round, before
    ///   that round's acquisition), and the cost.
    /// - Throws: `CurationError.invalidInput` when the pool is empty.
    public func run(on data: Dataset, recipe: Recipe) throws -> (Dataset, [Round], Effort) {
        guard !data.indices(in: .pool).isEmpty else { throw CurationError.invalidInput("active learning needs a pool split (dataset.per_class.pool)") }
        var current = data, curve: [Round] = [], effort = Effort()
        var generator = SplitMix64(seed: seed &+ 0xAC71)
        let testSet = try data.labeledImages(data.indices(in: .test), gold: data.gold.allSatisfy { $0 >= 0 })
        for round in 0..<rounds {
            let train = current.indices(in: .train), pool = current.indices(in: .pool)
            let (trained, cost) = try recipe.train(on: current, samples: train, seed: seed &+ UInt64(round))
            effort += cost
            curve.append(Round(labels: train.count, validationAccuracy: evaluate(model: trained, on: try current.labeledImages(current.indices(in: .validation))).accuracy,
                               testAccuracy: evaluate(model: trained, on: testSet).accuracy))
            guard !pool.isEmpty else { break }
            let scored = try PredictedProbabilities(of: trained, on: current, samples: pool)
            for row in strategy.select(batch, from: scored, using: &generator) {
                let i = pool[row]
                if let labeler { current.delivered[i] = try labeler.label(i, in: data, using: &generator) }
                current.splits[i] = .train
                effort.annotations += 1
                effort.collected += 1
            }
        }
        current.record(step: "active-learning \(strategy.rawValue) rounds=\(rounds) batch=\(batch)")
        return (current, curve, effort)
    }
}
