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
        let score = result.flagScore.map { FlagQuality(precision: $0.precision, recall: $0.recall, f1: $0.f1, trulyWrong: $0.trulyWrong) }
        return StepRecord(name: Self.name, effort: result.effort,
                          outcome: LabelIssuesOutcome(flagged: result.ranked.map(Int64.init), estimatedNoiseRate: result.issues.noise.noiseRate,
                                                      flagQuality: score))
    }
}

/// What `label-issues` found: the flagged training samples (most likely wrong first), the noise
/// rate confident learning estimates, and, where the truth is known, how good the flags were.
public struct LabelIssuesOutcome: StepOutcome, Equatable {
    public static let step = LabelIssuesStep.name
    public var flagged: [Int64]
    public var estimatedNoiseRate: Double
    public var flagQuality: FlagQuality?

    public var stored: StoredOutcome {
        StoredOutcome(values: ["flagged": Double(flagged.count), "estimated_noise_rate": estimatedNoiseRate].merging(flagQuality?.stored ?? [:]) { $1 },
                      indices: ["flagged": flagged])
    }

    public init(flagged: [Int64], estimatedNoiseRate: Double, flagQuality: FlagQuality?) {
        self.flagged = flagged; self.estimatedNoiseRate = estimatedNoiseRate; self.flagQuality = flagQuality
    }

    public init(stored: StoredOutcome) {
        self.init(flagged: stored.indices["flagged"] ?? [], estimatedNoiseRate: stored.values["estimated_noise_rate"] ?? .nan,
                  flagQuality: FlagQuality(stored: stored.values))
    }
}

/// Flags against the labels known to be wrong (a built-in scenario, injected noise).
public struct FlagQuality: Sendable, Equatable {
    /// Correct flags / flags, correct flags / wrong labels, and their harmonic mean.
    public var precision: Double, recall: Double, f1: Double
    /// Wrong labels among the samples checked.
    public var trulyWrong: Int

    var stored: [String: Double] { ["flag_precision": precision, "flag_recall": recall, "flag_f1": f1, "truly_wrong": Double(trulyWrong)] }

    init(precision: Double, recall: Double, f1: Double, trulyWrong: Int) {
        self.precision = precision; self.recall = recall; self.f1 = f1; self.trulyWrong = trulyWrong
    }

    init?(stored values: [String: Double]) {
        guard let precision = values["flag_precision"], let recall = values["flag_recall"] else { return nil }
        self.init(precision: precision, recall: recall, f1: values["flag_f1"] ?? .nan, trulyWrong: Int(values["truly_wrong"] ?? 0))
    }
}
