import Harness
import Store

/// The columns of a candidates table (the model-centric arm's variants and stacks, the
/// data-centric arm's sub-arms): each candidate's test and validation accuracy over seeds and how
/// often its arm chose it.
public enum CandidateColumns {
    /// With a column for the checked validation images when `verified`.
    public static func all(testLabel: String, verified: Bool) -> [ReportColumn<VariantResult>] {
        [
            .text("candidate", "candidate") { $0.name },
            .number("test_mean", testLabel, .percent) { $0.testAccuracy.mean },
            .number("test_sd", "sd", .percent) { $0.testAccuracy.standardDeviation },
            .number("validation_delivered", "validation as delivered", .percent) { $0.validationAccuracy.mean },
        ] + (verified ? [.number("validation_verified", "validation, checked images", .percent) { $0.verifiedValidationAccuracy?.mean }] : [])
            + [.number("times_chosen", "chosen on seeds", .count) { $0.timesChosen }]
    }
}
