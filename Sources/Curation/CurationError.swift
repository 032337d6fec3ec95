/// A curation operation that cannot run as asked; the message names the input and what was expected.
public enum CurationError: Error, Equatable, CustomStringConvertible {
    case invalidInput(String)
    /// A review file line that cannot be applied (file, 1-based line, reason).
    case invalidReview(file: String, line: Int, reason: String)
    /// An experiment's human review was written and is waiting for a person (file of the review
    /// CSV; `stepKey`, the key path of the relabel step whose `review:` takes it back).
    case reviewPending(file: String, stepKey: String)
    /// Images of the test set also appear in the training data.
    case leakage(String)

    public var description: String {
        switch self {
        case .invalidInput(let message): message
        case .invalidReview(let file, let line, let reason): "\(file) line \(line): \(reason)"
        case .reviewPending(let file, let stepKey):
            "wrote \(file) for a person to review. Fill in its corrected_label column (a class name; leave it empty to keep "
                + "the label), set \(stepKey).review: \(file) in the experiment file, and run the experiment again: finished "
                + "trials are kept. (For a dataset outside an experiment, `flywheel data apply-review DATASET REVIEW` applies a review.)"
        case .leakage(let message): "train/test leakage: \(message)"
        }
    }
}
