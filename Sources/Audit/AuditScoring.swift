import Datasets
import Harness
import Store

/// Where an audit scores the models it trains: the test split's verified (gold) labels when the
/// file has them, else the validation split's verified labels, else the test split's labels as
/// delivered, else the validation split's as delivered (then every estimate inherits the
/// delivered labels' noise, and the report says so).
public struct AuditScoring: Sendable {
    /// The scored samples.
    public let samples: [Int]
    /// The label each is scored against, in the same order.
    public let labels: [Int32]
    /// Whether `labels` are verified (gold) rather than as delivered.
    public let verified: Bool
    /// The split scored.
    public let split: Split
    /// What every model is measured by on them.
    public let metric: ScoreMetric

    /// - Throws: `AuditError.unusable` when the file has neither a validation nor a test split.
    public init(_ data: Dataset, metric: ScoreMetric = .accuracy) throws {
        self.metric = metric
        let test = data.indices(in: .test), validation = data.indices(in: .validation)
        if !test.isEmpty && data.hasGold(test) {
            (samples, split, verified) = (test, .test, true)
        } else if !validation.isEmpty && data.hasGold(validation) {
            (samples, split, verified) = (validation, .validation, true)
        } else if !test.isEmpty {
            (samples, split, verified) = (test, .test, false)
        } else if !validation.isEmpty {
            (samples, split, verified) = (validation, .validation, false)
        } else {
            throw AuditError.unusable("the audit scores on a validation or test split, and the file has \(data.indices(in: .train).count) training "
                                      + "images and no other split; import it again with one, e.g. " + data.importAdvice(adding: .test))
        }
        let useGold = verified
        labels = samples.map { useGold ? data.gold[$0] : data.delivered[$0] }
    }

    /// "the test split's verified labels (360 images)".
    public var description: String {
        "the \(split == .test ? "test" : "validation") split's \(verified ? "verified" : "delivered") labels (\(samples.count) images)"
    }
}

/// Why an audit cannot run.
public enum AuditError: Error, CustomStringConvertible, Equatable {
    case unusable(String)

    public var description: String {
        switch self { case .unusable(let message): return message }
    }
}
