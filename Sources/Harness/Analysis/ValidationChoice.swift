import Store

/// How a team without clean labels picks among candidate models on one seed (the model-centric
/// arm's rule): the best score on the validation set as delivered; among equally good ones, the
/// cheaper model — fewer forward FLOPs per image, then fewer training FLOPs; among equally cheap
/// ones, the baseline when it is one of them. Candidates still tied are equally likely picks, so
/// the seed's result is their mean. A name never decides.
public struct ValidationChoice: Sendable {
    /// The picked candidate, or the candidates tied to the end.
    public let picked: [TrialRecord]
    /// What the candidates are compared by, on validation and on test (`analysis.metric`).
    public let metric: ScoreMetric

    /// - Parameters: `candidates` completed trials of one seed; `score` what "best" maximises
    ///   (validation accuracy as delivered; test accuracy for the upper bound); `metric` what
    ///   `score` (the picked candidates' test score) is in.
    public init(among candidates: [TrialRecord], metric: ScoreMetric = .accuracy, maximising score: (TrialRecord) -> Double) {
        precondition(!candidates.isEmpty, "a choice needs candidates")
        self.metric = metric
        var tied = Self.keeping(candidates, largest: score)
        tied = Self.keeping(tied, largest: { -($0.inferenceFLOPs ?? 0) })
        tied = Self.keeping(tied, largest: { -$0.trainFLOPs })
        if let baseline = tied.first(where: { $0.arm == .baseline }) { tied = [baseline] }
        picked = tied
    }

    /// The choice a team makes: by `metric` on the validation set as delivered, or on the
    /// validation images checked before any choice.
    public init(on chooser: AnalysisPlan.Chooser = .delivered, metric: ScoreMetric = .accuracy, among candidates: [TrialRecord]) {
        self.init(among: candidates, metric: metric, maximising: { chooser.validationScore($0, metric: metric) })
    }

    /// The best on the gold test set: an upper bound no team can pick.
    public init(bestOnTestAmong candidates: [TrialRecord], metric: ScoreMetric = .accuracy) {
        self.init(among: candidates, metric: metric, maximising: { $0.metrics!.test(metric) })
    }

    /// The one result of an arm that has no choice to make (the baseline, the data-centric arm).
    public init(only record: TrialRecord, metric: ScoreMetric = .accuracy) { picked = [record]; self.metric = metric }

    /// Mean test score (in `metric`) of the picked candidates.
    public var score: Double { picked.reduce(0) { $0 + $1.metrics!.test(metric) } / Double(picked.count) }

    /// Per class: mean test recall of the picked candidates.
    public var recall: [Double] {
        let classes = picked.map { $0.metrics!.recall.count }.max() ?? 0
        return (0..<classes).map { k in picked.reduce(0) { $0 + ($1.metrics!.recall.dropFirst(k).first ?? 0) } / Double(picked.count) }
    }

    /// The share of this choice that went to `variant` (1 when it alone was picked).
    public func share(of variant: String) -> Double {
        Double(picked.filter { $0.variant == variant }.count) / Double(picked.count)
    }

    private static func keeping(_ records: [TrialRecord], largest value: (TrialRecord) -> Double) -> [TrialRecord] {
        let best = records.map(value).max()!
        return records.filter { value($0) == best }
    }
}

extension AnalysisPlan.Chooser {
    /// The score this chooser ranks a completed trial by, in `metric`: on the validation set as
    /// delivered, or on the validation images checked before any choice (0 where the trial has none).
    public func validationScore(_ record: TrialRecord, metric: ScoreMetric = .accuracy) -> Double {
        record.metrics!.validation(metric, verified: self == .verified) ?? 0
    }
}
