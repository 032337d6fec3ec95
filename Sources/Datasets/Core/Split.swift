/// Which part of a dataset a sample belongs to.
public enum Split: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Data the model trains on.
    case train = 0
    /// Data used to choose among models and settings (labels as delivered).
    case validation = 1
    /// Held-out data: what every arm is scored on (against gold labels where known, else as delivered).
    case test = 2
    /// Unlabelled (or not yet bought) data that collection and active learning draw from.
    case pool = 3

    public var description: String { ["train", "val", "test", "pool"][Int(rawValue)] }

    /// Parses "train", "val" (or "validation"), "test", "pool".
    public init?(name: String) {
        switch name {
        case "train": self = .train
        case "val", "validation": self = .validation
        case "test": self = .test
        case "pool": self = .pool
        default: return nil
        }
    }
}
