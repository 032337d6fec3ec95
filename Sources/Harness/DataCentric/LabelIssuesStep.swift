import Curation
import Datasets
import Engine
import Store

/// `label-issues: {folds: 5, filter_by: prune_by_noise_rate, rank_by: self_confidence}` —
/// confident learning on out-of-sample probabilities of the fixed recipe (K-fold over the
/// training split). Flags the training samples for later steps and scores the flags against
/// the known label errors. The fold models also score the validation split and the pool, so
/// `collect` can find the weakest classes and their pool images without training again.
/// `rank: all` hands every training sample to the steps after it, least likely correct first,
/// instead of the flagged ones only (a review of the whole set in rank order: the review curve).
public struct LabelIssuesStep: DataStep {
    public static let name = "label-issues"
    let folds: Int
    let search: LabelIssueSearch
    /// Whether later steps get every training sample in rank order, not only the flags.
    let ranksAll: Bool

    init(folds: Int, search: LabelIssueSearch, ranksAll: Bool) {
        self.folds = folds; self.search = search; self.ranksAll = ranksAll
    }

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["method", "folds", "filter_by", "rank_by", "min_examples_per_class", "rank"])
        _ = try o["method"]?.string(allowed: ["confident-learning"])
        folds = try o["folds"]?.int(minimum: 2, description: "at least 2 folds") ?? 5
        let filter = LabelIssueFilter(rawValue: try o["filter_by"]?.string(allowed: LabelIssueFilter.allCases.map(\.rawValue)) ?? "prune_by_noise_rate")!
        let finder = LabelIssueFinder(filter: filter, minExamplesPerClass: try o["min_examples_per_class"]?.int(minimum: 0, description: "a count ≥ 0") ?? 1)
        let rankBy = LabelQualityScore(rawValue: try o["rank_by"]?.string(allowed: LabelQualityScore.allCases.map(\.rawValue)) ?? "self_confidence")!
        search = LabelIssueSearch(finder: finder, rankBy: rankBy)
        ranksAll = try o["rank"]?.string(allowed: ["flagged", "all"]) == "all"
    }

    /// It only flags; the steps after it act on the flags.
    public var changesTrainingData: Bool { false }

    /// K fold models, each on (K − 1)/K of the training split.
    public var estimatedTrainings: Double { Double(folds - 1) }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let data = context.data
        let train = data.indices(in: .train), validation = data.indices(in: .validation), pool = data.indices(in: .pool)
        let crossValidation = try CrossValidation(folds: folds, seed: context.seed(for: Self.name))
        let (result, groups) = try search.search(in: data, samples: train, recipe: context.recipe, crossValidation: crossValidation,
                                                 scoring: [validation, pool])
        let scored = groups[0]
        context.predictPool(Dictionary(uniqueKeysWithValues: pool.enumerated().map { row, sample in
            (sample, (0..<groups[1].classes).map { groups[1][row, $0] })
        }))
        if !validation.isEmpty {
            let evaluation = Evaluation(labels: validation.map { context.data.delivered[$0] },
                                        predictions: (0..<scored.count).map { Int32(scored.predictedClass($0)) },
                                        probabilities: [], classes: scored.classes, loss: .nan)
            context.measureValidationRecall(evaluation.recall)
        }
        let handedOn = ranksAll ? result.rankedAll(by: search.rankBy) : result.ranked
        context.flag(handedOn, suggestions: result.suggestions(for: handedOn))
        return StepRecord(name: Self.name, effort: result.effort, outcomes: result.outcomes, indices: ["flagged": result.ranked.map(Int64.init)])
    }
}
