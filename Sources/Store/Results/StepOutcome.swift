/// A data step's outcome as a trial file stores it under `/curation/NN_step`: numbers as the
/// group's attributes, sample indices as its datasets, per-round values in its `series` group
/// (docs/results-schema.md). The typed outcomes (`StepOutcome`) read and write it.
public struct StoredOutcome: Sendable, Equatable {
    public var values: [String: Double]
    public var indices: [String: [Int64]]
    public var series: [String: [Double]]

    public init(values: [String: Double] = [:], indices: [String: [Int64]] = [:], series: [String: [Double]] = [:]) {
        self.values = values; self.indices = indices; self.series = series
    }
}

/// What one kind of data step found or changed, as typed fields: each step has its own (a
/// `LabelIssuesOutcome`, a `PruneOutcome`, …). It is stored under the names trial files have
/// always used, so files written before the types existed read into them; a field that needs
/// the truth is nil where the data had none.
public protocol StepOutcome: Sendable {
    /// The name of the step it belongs to (a record's name starts with it; a label may add an oracle note).
    static var step: String { get }
    /// The fields as stored.
    var stored: StoredOutcome { get }
    /// Reads the fields back (absent ones as nil, or empty).
    init(stored: StoredOutcome)
}

extension StepRecord {
    /// The record's outcome as `type`, when the record is of that type's step.
    public func outcome<Outcome: StepOutcome>(_ type: Outcome.Type) -> Outcome? {
        name == Outcome.step || name.hasPrefix(Outcome.step + " ") ? Outcome(stored: stored) : nil
    }
}

extension StoredOutcome {
    /// `values[name]` as a count.
    public func count(_ name: String) -> Int? { values[name].map { Int($0) } }
}
