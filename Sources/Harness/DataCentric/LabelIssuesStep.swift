import Curation
import Datasets
import Engine
import Store

/// `label-issues: {folds: 5, filter_by: prune_by_noise_rate, rank_by: self_confidence}` —
/// confident learning on out-of-sample probabilities of the fixed model (K-fold over the
/// training split). Flags the training samples for later steps and scores the flags against
/// the known label errors. The fold models also score the validation split, so `collect` can
/// find the weakest classes without training again.
public struct LabelIssuesStep: DataStep {
    public static let name = "label-issues"
    let folds: Int
    let finder: LabelIssueFinder
    let rankBy: LabelQualityScore

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["method", "folds", "filter_by", "rank_by", "min_examples_per_class"])
        _ = try o["method"]?.string(allowed: ["confident-learning"])
        folds = try o["folds"]?.int(minimum: 2, description: "at least 2 folds") ?? 5
        let filter = LabelIssueFilter(rawValue: try o["filter_by"]?.string(allowed: LabelIssueFilter.allCases.map(\.rawValue)) ?? "prune_by_noise_rate")!
        finder = LabelIssueFinder(filter: filter, minExamplesPerClass: try o["min_examples_per_class"]?.int(minimum: 0, description: "a count ≥ 0") ?? 1)
        rankBy = LabelQualityScore(rawValue: try o["rank_by"]?.string(allowed: LabelQualityScore.allCases.map(\.rawValue)) ?? "self_confidence")!
    }

    public func apply(to context: inout CurationContext) throws -> CurationStep {
        let train = context.data.indices(in: .train), validation = context.data.indices(in: .validation)
        let crossValidation = try CrossValidation(folds: folds, seed: context.seed(for: Self.name))
        let predictions = try crossValidation.predict(model: context.model, data: context.data, samples: train, scoring: validation)
        let (probabilities, effort) = (predictions.outOfSample, predictions.effort)
        if !validation.isEmpty {
            let scored = predictions.scored
            let evaluation = Evaluation(labels: validation.map { context.data.delivered[$0] },
                                        predictions: (0..<scored.count).map { Int32(scored.predictedClass($0)) },
                                        probabilities: [], classes: scored.classes, loss: .nan)
            context.measureValidationRecall(evaluation.recall)
        }
        let labels = train.map { Int(context.data.delivered[$0]) }
        let issues = try finder.findLabelIssues(labels: labels, probabilities: probabilities)
        let ranked = issues.ranked(by: rankBy, labels: labels, probabilities: probabilities).map { train[$0] }
        let position = Dictionary(uniqueKeysWithValues: train.enumerated().map { ($1, $0) })
        context.flag(ranked, suggestions: Dictionary(uniqueKeysWithValues: ranked.map { sample in
            let row = position[sample]!, predicted = probabilities.predictedClass(row)
            return (sample, (predicted, probabilities[row, predicted]))
        }))
        var scalars = effort.scalars.merging(["flagged": Double(ranked.count), "estimated_noise_rate": issues.noise.noiseRate]) { $1 }
        if context.data.gold.allSatisfy({ $0 >= 0 }) {
            scalars.merge(FlagScore(flagged: ranked, noiseMask: context.trainingNoiseMask).scalars) { $1 }
        }
        return CurationStep(name: Self.name, scalars: scalars, indices: ["flagged": ranked.map(Int64.init)])
    }
}
