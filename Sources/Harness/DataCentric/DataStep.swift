import Curation
import Datasets
import Store

/// One step of the data-centric arm: it changes the seed's data as delivered and records what it
/// did and what it cost (the effort ledger of the trial).
/// A step's stored options are Encodable: the resolved trial config lists them with every default
/// filled in, so the trial id changes when any of them does.
public protocol DataStep: Sendable, Encodable {
    /// The name experiment files use (`augment`).
    static var name: String { get }
    /// The name trial files and reports use: `name`, plus what it reads that no team has — an
    /// oracle says so here, e.g. `collect (gold-class oracle)`.
    var label: String { get }
    /// Decodes and validates the step's options (errors name the key path and line).
    init(options: ConfigReader) throws
    /// Applies the step to the context's data; the returned record is stored under `/curation`
    /// in the trial file.
    func apply(to context: inout CurationContext) throws -> StepRecord
    /// Trainings of the fixed recipe on the whole training split the step adds to its trial,
    /// estimated before it runs (folds, rounds, a larger final training set); the runner starts
    /// the most expensive trials first. 0 for a step that trains nothing.
    var estimatedTrainings: Double { get }
    /// Whether the step changes the data the final model trains on (labels, samples, in-loop
    /// augmentation); false for a step that only finds something for later steps. The data
    /// arm's cumulative sub-arms end at such steps.
    var changesTrainingData: Bool { get }
}

extension DataStep {
    public var label: String { Self.name }
    public var estimatedTrainings: Double { 0 }
    public var changesTrainingData: Bool { true }
}

/// The steps the data-centric arm can name, in the order docs/experiments.md lists them.
public enum DataSteps {
    public static let all: [any DataStep.Type] = [
        LabelIssuesStep.self, RelabelStep.self, PruneStep.self, ConsensusStep.self, CollectStep.self,
        AugmentStep.self, DeduplicateStep.self, ActiveLearningStep.self,
    ]

    static func decode(_ reader: ConfigReader) throws -> any DataStep {
        let names = all.map { $0.name }
        guard case .mapping(let entries, _) = reader.tree, entries.count == 1 else {
            throw ConfigError("\(reader.path): expected one step as a mapping {name: options}, one of \(names.joined(separator: ", ")) (\(reader.tree.origin))")
        }
        let entry = entries[0]
        guard let type = all.first(where: { $0.name == entry.key }) else {
            throw ConfigError("\(reader.path).\(entry.key): unknown data step; available: \(names.joined(separator: ", ")) (\(entry.keyOrigin))")
        }
        return try type.init(options: ConfigReader(entry.value, path: "\(reader.path).\(entry.key)"))
    }
}
