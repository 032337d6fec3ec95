import Foundation

/// How well a set of flags matches the samples whose labels are truly wrong.
public struct FlagScore: Sendable, Equatable {
    public let flagged: Int
    public let trulyWrong: Int
    public let correctFlags: Int

    /// - Parameters: `flagged` sample indices; `noiseMask[i]` true where sample i's label is wrong.
    public init(flagged: [Int], noiseMask: [Bool]) {
        self.flagged = flagged.count
        trulyWrong = noiseMask.filter { $0 }.count
        correctFlags = flagged.filter { noiseMask[$0] }.count
    }

    /// Correct flags / flags (1 when nothing was flagged).
    public var precision: Double { flagged > 0 ? Double(correctFlags) / Double(flagged) : 1 }
    /// Correct flags / wrong labels (1 when no label was wrong).
    public var recall: Double { trulyWrong > 0 ? Double(correctFlags) / Double(trulyWrong) : 1 }
    public var f1: Double { precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0 }

    /// The score in words: "precision 0.29, recall 0.83 (48 labels wrong)", with `f1` its F1 too.
    /// With no label wrong there is nothing to recall (the stored `recall` is 1 by convention):
    /// "no label is wrong, so all 291 flags are false alarms".
    public func text(decimals: Int = 2, f1 showsF1: Bool = false) -> String {
        guard trulyWrong > 0 else {
            return flagged == 0 ? "no label is wrong and none is flagged" : "no label is wrong, so all \(flagged) flags are false alarms"
        }
        let format = "%.\(decimals)f"
        return "precision " + String(format: format, precision) + ", recall " + String(format: format, recall)
            + (showsF1 ? ", F1 " + String(format: format, f1) : "") + " (\(trulyWrong) labels wrong)"
    }

    /// Stored beside the step's effort: `flag_precision`, `flag_recall`, `flag_f1`, `truly_wrong`.
    public var outcomes: [String: Double] {
        ["flag_precision": precision, "flag_recall": recall, "flag_f1": f1, "truly_wrong": Double(trulyWrong)]
    }
}
