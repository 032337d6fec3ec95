/// A curation operation that cannot run as asked; the message names the input and what was expected.
public enum CurationError: Error, Equatable, CustomStringConvertible {
    case invalidInput(String)
    /// A review file line that cannot be applied (file, 1-based line, reason).
    case invalidReview(file: String, line: Int, reason: String)
    /// A human review was written and is waiting for a person (file of the review CSV).
    case reviewPending(file: String)
    /// Images of the test set also appear in the training data.
    case leakage(String)

    public var description: String {
        switch self {
        case .invalidInput(let message): message
        case .invalidReview(let file, let line, let reason): "\(file) line \(line): \(reason)"
        case .reviewPending(let file):
            "wrote \(file) for a person to review; fill in its corrected_label column, then run `flywheel data apply-review`"
        case .leakage(let message): "train/test leakage: \(message)"
        }
    }
}
