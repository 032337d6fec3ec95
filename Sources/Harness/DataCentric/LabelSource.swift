import Curation
import Datasets

/// Who writes labels in a step, as experiment files name it: `gold`, `consistent` (with
/// `error_rate`), `same-annotators` (the process that delivered the data) or `human` (relabel only).
enum LabelSource: Equatable {
    case simulated(Reviewer)
    case human
    case sameAnnotators

    static let names = ["gold", "consistent", "same-annotators", "human"]

    /// Reads `key` (and `error_rate` for `consistent`) from a step's options.
    static func decode(_ options: [String: ConfigReader], key: String, default fallback: String, allowHuman: Bool) throws -> LabelSource {
        let allowed = allowHuman ? names : names.filter { $0 != "human" }
        let name = try options[key]?.string(allowed: allowed) ?? fallback
        switch name {
        case "gold": return .simulated(.gold)
        case "consistent":
            return .simulated(.consistent(errorRate: try options["error_rate"]?.double(in: 0...1, description: "an error rate in [0, 1]") ?? 0.02))
        case "human": return .human
        default: return .sameAnnotators
        }
    }

    /// The reviewer for a context: `same-annotators` needs the process the data came from.
    func reviewer(in context: CurationContext) throws -> Reviewer {
        switch self {
        case .simulated(let reviewer): return reviewer
        case .sameAnnotators:
            guard let process = context.annotation else {
                throw CurationError.invalidInput("labels from the same annotators need a simulated noise model (dataset.noise); use consistent or gold")
            }
            return .sameAsDelivered(process)
        case .human: throw CurationError.invalidInput("a human reviewer writes a review file; it cannot label samples inside a run")
        }
    }
}
