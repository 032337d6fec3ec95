import Engine
import Foundation

extension EpochRecord {
    /// The epoch's validation accuracy to three decimals, or "-" where the epoch did not score it
    /// (`TrainingConfig.scoresValidationEachEpoch`), as the epoch lines of `flywheel train` and `run --verbose` print it.
    public var validationAccuracyText: String { validationAccuracy.map { String(format: "%.3f", $0) } ?? "-" }
}
