import Datasets
import Engine
import Store

/// A recipe trained on a dataset's train split (labels as delivered) and scored: on the test
/// split against gold labels where every test sample has one (the delivered labels otherwise),
/// and on the validation split as delivered. The sequence behind every trial and `flywheel train`.
public struct ScoredTraining {
    public let model: Sequential
    public let report: TrainingReport
    public let test: Evaluation
    /// Whether `test` was scored against gold labels.
    public let testLabelsAreGold: Bool
    /// The labels `test` was scored against, in test-split order.
    public let testLabels: [Int32]
    /// The final model's accuracy and balanced accuracy on the validation split as delivered (nil
    /// without one) and on the checked validation images against the checked labels (nil: none checked).
    public let validation: TrialMetrics.Validation
    /// What shows the training collapsed (`CollapseCheck`), or nil.
    public let collapse: String?

    /// Trains `recipe` from `seed` (initialisation `seed`, shuffling `seed + 1`).
    /// - Parameter verified: per validation sample in split order, the label a reviewer checked (−1: not checked); nil for none.
    /// - Parameter onEpoch: called after every epoch.
    public init(recipe: Recipe, data: Dataset, seed: UInt64, verified: [Int32]? = nil, onEpoch: (EpochRecord) -> Void = { _ in }) throws {
        let train = try data.trainingImages(data.indices(in: .train), for: recipe.training)
        let validationSamples = data.indices(in: .validation), testSamples = data.indices(in: .test)
        let validation = validationSamples.isEmpty ? nil : try data.labeledImages(validationSamples)
        testLabelsAreGold = testSamples.allSatisfy { data.gold[$0] >= 0 }
        let testSet = try data.labeledImages(testSamples, gold: testLabelsAreGold)
        testLabels = testSet.labels
        let trained = try recipe.train(train, validation: validation, seed: seed, onEpoch: onEpoch)
        model = trained.model
        report = trained.report
        let validated = validation.map { evaluate(model: trained.model, on: $0) }
        if let count = recipe.batchNormAdaptationImages { try Self.adaptBatchNorm(model, toPoolOf: data, count: count, seed: seed) }
        test = evaluate(model: model, on: testSet)
        var scores = TrialMetrics.Validation(accuracy: validated?.accuracy)
        if let validated, let labels = validation?.labels {
            scores.balancedAccuracy = ScoreMetric.balancedAccuracy.value(correct: zip(validated.predictions, labels).map { $0 == $1 }, labels: labels)
        }
        if let checked = verified {
            guard checked.count == validationSamples.count else {
                throw DatasetError.invalid("the checked validation labels cover \(checked.count) samples, the validation split has \(validationSamples.count)")
            }
            let scored = checked.indices.filter { checked[$0] >= 0 }
            if let predictions = validated?.predictions, !scored.isEmpty {
                let correct = scored.map { predictions[$0] == checked[$0] }, labels = scored.map { checked[$0] }
                scores.verifiedAccuracy = ScoreMetric.accuracy.value(correct: correct, labels: labels)
                scores.verifiedBalancedAccuracy = ScoreMetric.balancedAccuracy.value(correct: correct, labels: labels)
            }
        }
        self.validation = scores
        collapse = report.status == .diverged ? nil : CollapseCheck.evidence(
            predictions: validated?.predictions ?? test.predictions, labels: validation?.labels, classes: data.classNames.count,
            trainLoss: report.epochs.map(\.trainLoss))
    }
}

extension ScoredTraining {
    /// Re-estimates `model`'s batch-norm statistics on `count` pool images of `data` drawn at random
    /// from `seed` (as a team takes what the line delivers), their labels unread.
    /// - Throws: `DatasetError.invalid` when the pool holds fewer images.
    static func adaptBatchNorm(_ model: Sequential, toPoolOf data: Dataset, count: Int, seed: UInt64) throws {
        var pool = data.indices(in: .pool)
        var generator = SplitMix64(seed: seed &+ 0xADA9)
        generator.shuffle(&pool)
        guard pool.count >= count else {
            throw DatasetError.invalid("adapt_batch_norm: \(count) unlabelled pool images asked for, the pool holds \(pool.count) (dataset.per_class.pool)")
        }
        try BatchNormAdaptation.adapt(model, to: data.images(Array(pool.prefix(count))))
    }
}

extension TrialRecord {
    /// Fills in the training's status, FLOPs, scores, curves, weights and test probabilities.
    public mutating func record(_ scored: ScoredTraining) {
        record(training: scored.report, test: scored.test, validation: scored.validation, model: scored.model)
        testLabelsAreGold = scored.testLabelsAreGold
        testLabels = scored.testLabels
        if let evidence = scored.collapse {
            status = .collapsed
            error = evidence
        }
    }
}
