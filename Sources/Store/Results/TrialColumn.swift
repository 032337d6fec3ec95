/// One column of a trial table, defined once for every table that lists trials: `trials.csv`
/// and the merged file's `/summary` (one dataset per column). Adding a column here adds it to both.
public struct TrialColumn: Sendable {
    /// What a column holds: text, integers, or numbers (nil where a trial has none: an empty
    /// CSV field, NaN in HDF5).
    public enum Values: Sendable {
        case text(@Sendable (TrialRecord) -> String)
        case integer(@Sendable (TrialRecord) -> Int64)
        case number(@Sendable (TrialRecord) -> Double?)
    }

    public let name: String
    public let values: Values

    /// The columns, in table order.
    public static let all: [TrialColumn] = [
        TrialColumn(name: "trial_id", values: .text { $0.trialID }),
        TrialColumn(name: "experiment", values: .text { $0.experiment }),
        TrialColumn(name: "arm", values: .text { $0.arm.rawValue }),
        TrialColumn(name: "variant", values: .text { $0.variant }),
        TrialColumn(name: "seed", values: .integer { $0.seed }),
        TrialColumn(name: "status", values: .text { $0.status.rawValue }),
        TrialColumn(name: "accuracy", values: .number { $0.metrics?.accuracy }),
        TrialColumn(name: "macro_f1", values: .number { $0.metrics?.macroF1 }),
        TrialColumn(name: "validation_accuracy", values: .number { $0.metrics?.validationAccuracy }),
        TrialColumn(name: "wall_seconds", values: .number { $0.wallSeconds }),
        TrialColumn(name: "train_flops", values: .number { $0.trainFLOPs }),
        TrialColumn(name: "inference_flops", values: .number { $0.inferenceFLOPs }),
        // Empty where a trial file did not record them (files older than the platform attributes).
        TrialColumn(name: "openblas_core", values: .text { $0.platform["openblas_core"] ?? "" }),
        TrialColumn(name: "threads", values: .text { $0.platform["threads"] ?? "" }),
    ]

    /// The cell of `record` as CSV text, before quoting (an empty field for a missing number).
    public func csvField(_ record: TrialRecord) -> String {
        switch values {
        case .text(let value): value(record)
        case .integer(let value): String(value(record))
        case .number(let value): value(record).map { String($0) } ?? ""
        }
    }
}
