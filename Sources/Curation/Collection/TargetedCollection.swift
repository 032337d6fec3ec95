import Datasets
import Engine
import Store

/// Error-analysis-driven data collection: measure the fixed model's per-class recall on the
/// validation set (labels as delivered) — from a fresh training, or from recall already measured
/// with the fixed model (e.g. by cross-validation's fold models) — and draw new labelled samples of
/// the weakest classes from the pool, in proportion to each one's error. For class k it takes the
/// pool images the fixed model finds most likely of class k: what a team can see before paying
/// for labels. `byGoldClass` instead reads the pool's true classes — an oracle, named as such.
public struct TargetedCollection: Sendable {
    /// Samples to collect.
    public var count: Int
    /// How many of the weakest classes share the collection.
    public var weakestClasses: Int
    /// Who labels what is collected: nil keeps the labels the pool was delivered with (the same
    /// annotator process as the original data); a reviewer relabels them (e.g. `consistent`).
    public var labeler: Reviewer?
    /// Choose pool images by their true class (an oracle; protocol v1's collection).
    public var byGoldClass = false
    public var seed: UInt64

    public init(count: Int, weakestClasses: Int = 2, labeler: Reviewer? = nil, seed: UInt64) {
        self.count = count; self.weakestClasses = weakestClasses; self.labeler = labeler; self.seed = seed
    }

    /// What collection found and did.
    public struct Outcome: Sendable {
        public var effort: Effort
        /// Validation recall per class before collection.
        public var recall: [Double]
        public var targeted: [Int]
        public var collected: [Int]
    }

    /// Moves the collected samples from the pool to the training split. With `measuredRecall`
    /// (per class, on the validation split) and `predictedPool` (the fixed model's class
    /// probabilities per pool sample) already measured, e.g. by cross-validation's fold models, it trains nothing;
    /// otherwise it trains the fixed recipe once for what is missing.
    /// - Throws: `CurationError.invalidInput` when the dataset has no pool or no validation split.
    public func apply(to data: Dataset, recipe: Recipe, measuredRecall: [Double]? = nil, predictedPool: [Int: [Double]]? = nil) throws -> (Dataset, Outcome) {
        let pool = data.indices(in: .pool), validation = data.indices(in: .validation)
        guard !pool.isEmpty else { throw CurationError.invalidInput("targeted collection needs a pool split to draw from (dataset.per_class.pool)") }
        guard !validation.isEmpty else { throw CurationError.invalidInput("targeted collection needs a validation split for its error analysis") }
        var cost = Effort(), recall = measuredRecall ?? [], poolClass = predictedPool ?? [:]
        if measuredRecall == nil || (!byGoldClass && predictedPool == nil) {
            let (trained, training) = try recipe.train(on: data, samples: data.indices(in: .train), seed: seed)
            cost = training
            if measuredRecall == nil { recall = evaluate(model: trained, on: try data.labeledImages(validation)).recall }
            if predictedPool == nil && !byGoldClass {
                let predicted = try PredictedProbabilities(of: trained, on: data, samples: pool)
                poolClass = Dictionary(uniqueKeysWithValues: pool.enumerated().map { row, sample in
                    (sample, (0..<predicted.classes).map { predicted[row, $0] })
                })
            }
        }

        let targeted = recall.indices.sorted { (recall[$0], $0) < (recall[$1], $1) }.prefix(max(1, weakestClasses)).map { $0 }
        let shares = allocate(count, weights: targeted.map { max(1 - recall[$0], 1e-3) })
        var generator = SplitMix64(seed: seed &+ 0xC011EC7)
        var result = data, collected: [Int] = []
        for (k, share) in zip(targeted, shares) {
            for i in try candidates(of: k, in: pool, data: data, probabilities: poolClass, collected: Set(collected), using: &generator).prefix(share) {
                if let labeler { result.delivered[i] = try labeler.label(i, in: data, using: &generator) }
                result.splits[i] = .train
                collected.append(i)
            }
        }
        result.record(step: "collect \(collected.count) from pool for classes \(targeted.map { data.classNames[$0] }.joined(separator: ","))")
        let effort = cost + Effort(collected: collected.count, annotations: collected.count)
        return (result, Outcome(effort: effort, recall: recall, targeted: targeted, collected: collected.sorted()))
    }

    /// The pool images to take for class k, best first: by the fixed model's probability of k
    /// (ties by sample), or, for the oracle, those truly of class k in a seeded random order.
    private func candidates(of k: Int, in pool: [Int], data: Dataset, probabilities: [Int: [Double]], collected: Set<Int>,
                            using generator: inout SplitMix64) throws -> [Int] {
        guard !byGoldClass else {
            var truly = pool.filter { Int(data.gold[$0] >= 0 ? data.gold[$0] : data.delivered[$0]) == k }
            generator.shuffle(&truly)
            return truly
        }
        let open = pool.filter { !collected.contains($0) }
        guard open.allSatisfy({ probabilities[$0] != nil }) else { throw CurationError.invalidInput("collect: no prediction for a pool sample") }
        return open.sorted { (-probabilities[$0]![k], $0) < (-probabilities[$1]![k], $1) }
    }

    /// `total` split in proportion to `weights` (largest remainder).
    private func allocate(_ total: Int, weights: [Double]) -> [Int] {
        let sum = weights.reduce(0, +)
        let exact = weights.map { Double(total) * $0 / sum }
        var shares = exact.map { Int($0) }
        let byRemainder = exact.indices.sorted { (exact[$0] - Double(shares[$0]), -$0) > (exact[$1] - Double(shares[$1]), -$1) }
        for i in byRemainder.prefix(total - shares.reduce(0, +)) { shares[i] += 1 }
        return shares
    }
}
