import Curation
import Datasets

/// Who writes labels in a step, as experiment files name it: `gold` (an oracle), `consistent`
/// (an expert with `error_rate` on clear images and `ambiguous_error_rate` on the most ambiguous),
/// `convention` (that expert with a convention of their own on one pair, `convention: [from, to]`),
/// `same-annotators` (the process that delivered the data) or `human` (relabel only).
enum LabelSource: Equatable {
    case simulated(Reviewer)
    /// The convention reviewer, its pair named by class (resolved against the data when it runs).
    case convention(from: String, to: String, errorRate: Double, ambiguousErrorRate: Double)
    case human
    case sameAnnotators

    static let names = ["gold", "consistent", "convention", "same-annotators", "human"]
    /// The option keys a step that takes a label source accepts besides the source itself.
    static let optionKeys = ["error_rate", "ambiguous_error_rate", "convention"]

    /// What a step's label says of its labeller: " (gold oracle)" for the reviewer that writes the
    /// truth, " (expert's own convention FROM→TO)" for the expert with a convention of their own,
    /// "" for the others — so sub-arms that differ only in who labels have different names.
    var labelNote: String {
        switch self {
        case .simulated(.gold): " (gold oracle)"
        case .convention(let from, let to, _, _): " (expert's own convention \(from)→\(to))"
        default: ""
        }
    }

    /// Reads `key` and the expert's options from a step's options. Defaults: `error_rate` 0.02,
    /// `ambiguous_error_rate` 0.3.
    static func decode(_ options: [String: ConfigReader], key: String, default fallback: String, allowHuman: Bool) throws -> LabelSource {
        let allowed = allowHuman ? names : names.filter { $0 != "human" }
        let name = try options[key]?.string(allowed: allowed) ?? fallback
        let errorRate = try options["error_rate"]?.double(in: 0...1, description: "an error rate in [0, 1]") ?? 0.02
        let ambiguousErrorRate = try options["ambiguous_error_rate"]?.double(in: 0...1, description: "an error rate in [0, 1]") ?? 0.3
        switch name {
        case "gold": return .simulated(.gold)
        case "consistent": return .simulated(.consistent(errorRate: errorRate, ambiguousErrorRate: ambiguousErrorRate))
        case "convention":
            guard let pair = options["convention"] else {
                let source = options[key]!
                throw ConfigError("\(source.path): convention needs convention: [FROM, TO], the pair this reviewer labels alike (\(source.tree.origin))")
            }
            let names = try pair.list().map { try $0.string() }
            guard names.count == 2, names[0] != names[1] else { throw ConfigError("\(pair.path): expected two different class names (\(pair.tree.origin))") }
            return .convention(from: names[0], to: names[1], errorRate: errorRate, ambiguousErrorRate: ambiguousErrorRate)
        case "human": return .human
        default: return .sameAnnotators
        }
    }

    /// A simulated person (`gold`, `consistent`, `convention`) writes labels from the truth; on
    /// samples that have none it would invent it. Throws, naming the step, when any of `samples`
    /// lacks a gold label (`same-annotators` replays the simulated noise and needs none here).
    func requireTruth(of samples: [Int], in data: Dataset, step: String) throws {
        let name: String
        switch self {
        case .simulated(.gold): name = "gold"
        case .simulated, .convention: name = "consistent/convention"
        case .human, .sameAnnotators: return
        }
        try Self.requireTruth(of: samples, in: data, step: step, what: "a simulated \(name) reviewer")
    }

    /// Throws, naming the step and `what` needs the truth, when any of `samples` lacks a gold label.
    static func requireTruth(of samples: [Int], in data: Dataset, step: String, what: String) throws {
        let missing = samples.filter { data.gold[$0] < 0 }.count
        guard missing > 0 else { return }
        throw CurationError.invalidInput("\(step): \(what) writes labels from the true ones, and \(missing) of the \(samples.count) "
                                         + "samples it would act on have no true label in this dataset (no verified split, no simulated noise); "
                                         + "use reviewer: human (a person reviews a CSV) or prune instead")
    }

    /// The reviewer for a context: `same-annotators` needs the process the data came from; a
    /// convention's classes must be the data's.
    func reviewer(in context: CurationContext) throws -> Reviewer {
        try reviewer(classNames: context.data.classNames, annotation: context.annotation)
    }

    /// The reviewer for data of `classNames` delivered by `annotation` (nil: no simulated noise).
    func reviewer(classNames names: [String], annotation: LabelNoise?) throws -> Reviewer {
        switch self {
        case .simulated(let reviewer): return reviewer
        case .convention(let from, let to, let errorRate, let ambiguousErrorRate):
            guard let a = names.firstIndex(of: from), let b = names.firstIndex(of: to) else {
                throw CurationError.invalidInput("convention: [\(from), \(to)] names a class the data does not have; it has \(names.joined(separator: ", "))")
            }
            return .convention(from: a, to: b, errorRate: errorRate, ambiguousErrorRate: ambiguousErrorRate)
        case .sameAnnotators:
            guard let process = annotation else {
                throw CurationError.invalidInput("labels from the same annotators need a simulated noise model (dataset.noise); use consistent or gold")
            }
            return .sameAsDelivered(process)
        case .human: throw CurationError.invalidInput("a human reviewer writes a review file; it cannot label samples inside a run")
        }
    }
}

extension LabelSource: Encodable {
    /// In the experiment file's words: the source's name and, for an expert, its error rates, the
    /// ambiguity it assumes for an image without a score and its convention.
    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        let expert: (errorRate: Double, ambiguousErrorRate: Double)?
        switch self {
        case .simulated(.gold): try container.encode("gold", forKey: NameKey("name")); expert = nil
        case .simulated(.consistent(let errorRate, let ambiguousErrorRate)):
            try container.encode("consistent", forKey: NameKey("name")); expert = (errorRate, ambiguousErrorRate)
        case .simulated(let reviewer): try container.encode("\(reviewer)", forKey: NameKey("name")); expert = nil
        case .convention(let from, let to, let errorRate, let ambiguousErrorRate):
            try container.encode("convention", forKey: NameKey("name"))
            try container.encode([from, to], forKey: NameKey("convention"))
            expert = (errorRate, ambiguousErrorRate)
        case .human: try container.encode("human", forKey: NameKey("name")); expert = nil
        case .sameAnnotators: try container.encode("same-annotators", forKey: NameKey("name")); expert = nil
        }
        if let expert {
            try container.encode(expert.errorRate, forKey: NameKey("error_rate"))
            try container.encode(expert.ambiguousErrorRate, forKey: NameKey("ambiguous_error_rate"))
            // Part of the trial id: trials whose expert never erred on unscored images are not reused.
            try container.encode(Reviewer.unscoredAmbiguity, forKey: NameKey("unscored_ambiguity"))
        }
    }
}
