import Store

/// How a team without clean labels picks among candidate models on one seed (the model-centric
/// arm's rule): the best score on the validation set as delivered; among equally good ones, the
/// cheaper model — fewer forward FLOPs per image, then fewer training FLOPs; among equally cheap
/// ones, the baseline when it is one of them. Candidates still tied are equally likely picks, so
/// the seed's result is their mean. A name never decides.
public struct ValidationChoice: Sendable {
    /// The picked candidate, or the candidates tied to the end.
    public let picked: [TrialRecord]

    /// - Parameters: `candidates` completed trials of one seed; `score` what "best" maximises
    ///   (validation accuracy as delivered; test accuracy for the upper bound).
    public init(among candidates: [TrialRecord], maximising score: (TrialRecord) -> Double) {
        precondition(!candidates.isEmpty, "a choice needs candidates")
        var tied = Self.keeping(candidates, largest: score)
        tied = Self.keeping(tied, largest: { -($0.inferenceFLOPs ?? 0) })
        tied = Self.keeping(tied, largest: { -$0.trainFLOPs })
        if let baseline = tied.first(where: { $0.arm == .baseline }) { tied = [baseline] }
        picked = tied
    }

    /// The choice a team makes: by accuracy on the validation set as delivered, or on the
    /// validation images checked before any choice.
    public init(on chooser: AnalysisPlan.Chooser = .delivered, among candidates: [TrialRecord]) {
        self.init(among: candidates, maximising: chooser.validationAccuracy)
    }

    /// The best on the gold test set: an upper bound no team can pick.
    public init(bestOnTestAmong candidates: [TrialRecord]) {
        self.init(among: candidates, maximising: { $0.metrics!.accuracy })
    }

    /// The one result of an arm that has no choice to make (the baseline, the data-centric arm).
    public init(only record: TrialRecord) { picked = [record] }

    /// Mean test accuracy of the picked candidates.
    public var accuracy: Double { picked.reduce(0) { $0 + $1.metrics!.accuracy } / Double(picked.count) }

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
    /// The accuracy this chooser ranks a completed trial by: on the validation set as delivered,
    /// or on the validation images checked before any choice (0 where the trial has none).
    public func validationAccuracy(_ record: TrialRecord) -> Double {
        switch self {
        case .delivered: record.metrics!.validationAccuracy ?? 0
        case .verified: record.metrics!.verifiedValidationAccuracy ?? 0
        }
    }
}
