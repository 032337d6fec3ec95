import Store

/// A paired difference of test accuracy over seeds with its verdict: what every table shows of
/// one arm against another.
public struct Judgement: Sendable {
    public let paired: PairedComparison
    public let decision: Decision

    /// `a − b` over the same seeds (in the same order), decided by `plan`.
    public init(a: [Double], b: [Double], plan: AnalysisPlan) {
        paired = PairedComparison(arm: a, baseline: b)
        decision = plan.decide(paired.difference)
    }
}

/// A named comparison between arms, as the reports show it: data − model, the question itself.
public struct Comparison: Sendable {
    /// How tables name it ("data − model").
    public let name: String
    /// Its name in CSV and HDF5 fields ("data_minus_model").
    public let key: String
    public let judgement: Judgement
    public var paired: PairedComparison { judgement.paired }

    /// How tables name data − model.
    public static let dataMinusModelName = "data − model"

    /// Data-centric minus model-centric (the model validation chose), paired over the seeds both have.
    public static func dataMinusModel(_ judgement: Judgement) -> Comparison {
        Comparison(name: dataMinusModelName, key: "data_minus_model", judgement: judgement)
    }
}
