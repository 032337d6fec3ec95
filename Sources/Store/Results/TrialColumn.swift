/// The columns of every table that lists trials: `trials.csv` and the merged file's `/summary`
/// (one dataset per column). Adding a column here adds it to both.
public enum TrialColumn {
    /// The columns, in table order.
    public static let all: [ReportColumn<TrialRecord>] = [
        .text("trial_id", nil) { $0.trialID },
        .text("experiment", nil) { $0.experiment },
        .text("arm", nil) { $0.arm.rawValue },
        .text("variant", nil) { $0.variant },
        .integer("seed", nil) { $0.seed },
        .text("status", nil) { $0.status.rawValue },
        .number("accuracy", nil, .percent) { $0.metrics?.accuracy },
        .number("macro_f1", nil, .percent) { $0.metrics?.macroF1 },
        .number("validation_accuracy", nil, .percent) { $0.metrics?.validationAccuracy },
        .number("verified_validation_accuracy", nil, .percent) { $0.metrics?.verifiedValidationAccuracy },
        .number("wall_seconds", nil, .count) { $0.wallSeconds },
        .number("train_flops", nil, .count) { $0.trainFLOPs },
        .number("inference_flops", nil, .count) { $0.inferenceFLOPs },
        // Empty where a trial file did not record them (files older than the platform attributes).
        .text("openblas_core", nil) { $0.platform["openblas_core"] ?? "" },
        .text("threads", nil) { $0.platform["threads"] ?? "" },
    ]

    /// The text columns' names (h5py reads their datasets as bytes).
    public static var textFields: [String] {
        all.filter { $0.storage == .text }.flatMap(\.fields)
    }
}
