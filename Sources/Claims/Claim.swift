import Foundation
import Harness
import Store

/// A claim of the article put to a pre-registered test: an experiment file with `claim:` (the
/// statement and the test that decides it) and `conditions:` (the settings the experiment runs
/// under, each a set of overrides). Every condition is the same experiment — same name, seeds,
/// arms — with its overrides applied, so trials that two conditions share run once.
///
///     name: claim-label-noise
///     claim:
///       statement: "…"
///       effect: {a: data-centric, b: model-centric}
///       expect: positive
///     quick: {seeds: [1, 2], baseline.train.epochs: 3}
///     conditions:
///       - {name: noise-0, x: 0, set: {dataset.noise: {model: uniform, rate: 0}}}
///       - {name: noise-10, x: 10, set: {dataset.noise: {model: uniform, rate: 0.1}}}
///     seeds: [...]
///     …the keys of any experiment file
public struct Claim: Sendable {
    public let name: String
    public let file: String
    /// The article's statement, as the claim file quotes it.
    public let statement: String
    /// Where the statement comes from.
    public let source: String
    /// What the experiment does to test it, in a sentence.
    public let design: String
    public let test: ClaimTest
    /// The conditions in file order, each with its experiment.
    public let conditions: [ClaimCondition]
    /// SHA-256 of the claim file as read.
    public let fileSHA256: String
    /// Loaded with the file's `quick:` settings: a first look, not the design.
    public let quick: Bool

    /// The runs that measure the spread of the test's effect before the report seeds run: each
    /// condition the test reads, with its arms unchanged, on the file's calibration seeds (nil when
    /// the file states no `power:` or declares no calibration seeds, and in a quick run: a spread
    /// measured on its shortened trainings would say nothing about the design's power).
    public var powerCalibration: [(condition: String, experiment: ExperimentConfig)]? {
        guard test.powerEffect != nil, !quick else { return nil }
        let runs = conditions.filter { test.conditionsRead.contains($0.name) }.compactMap { condition -> (String, ExperimentConfig)? in
            condition.experiment.calibrationSeeds.isEmpty ? nil : (condition.name, condition.experiment.onCalibrationSeeds())
        }
        return runs.isEmpty ? nil : runs
    }

    /// Keys a claim file has besides an experiment's.
    static let claimKeys = ExperimentConfig.claimFileKeys

    /// Reads and validates a claim file; with `quick`, its `quick:` overrides are applied to every condition.
    /// - Throws: `ConfigError` naming the key path, what was found and its line.
    public static func load(_ file: String, quick: Bool = false) throws -> Claim {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw ConfigError("\(file): cannot read the file") }
        let tree = try ConfigTree.parse(text, file: file)
        guard case .mapping(let pairs, let origin) = tree else { throw ConfigError("\(file): expected a mapping at the top level (\(tree.origin))") }
        let own = Dictionary(pairs.filter { claimKeys.contains($0.key) }.map { ($0.key, ConfigReader($0.value, path: $0.key)) }, uniquingKeysWith: { a, _ in a })
        var experiment = ConfigTree.mapping(pairs.filter { !claimKeys.contains($0.key) }, origin: origin)
        guard let claimReader = own["claim"] else { throw ConfigError("claim: missing; a claim file states the claim and its test (\(origin))") }
        guard let conditionsReader = own["conditions"] else {
            throw ConfigError("conditions: missing; list at least one condition, {name: …, set: {…}} (\(origin))")
        }
        var overrides: [String] = []
        if quick, let quickReader = own["quick"] {
            (experiment, overrides) = try applying(quickReader, to: experiment)
        }
        let sha = sha256Hex(Array(text.utf8))
        let conditions = try conditionsReader.list().map { item in
            try ClaimCondition.decode(item, experiment: experiment, fileSHA256: sha, overrides: overrides)
        }
        guard !conditions.isEmpty else { throw ConfigError("conditions: expected at least one condition (\(conditionsReader.tree.origin))") }
        if let twice = Dictionary(grouping: conditions, by: \.name).first(where: { $0.value.count > 1 })?.key {
            throw ConfigError("conditions: the condition \(twice) is listed twice (\(conditionsReader.tree.origin))")
        }
        let entries = try claimReader.entries(allowed: ["statement", "source", "design"] + ClaimTest.keys)
        guard let statement = entries["statement"] else { throw ConfigError("claim.statement: missing; quote the article (\(claimReader.tree.origin))") }
        let test = try ClaimTest.decode(entries, of: claimReader, conditions: conditions.map(\.name))
        if let power = entries["power"], conditions[0].experiment.calibrationSeeds.isEmpty {
            throw ConfigError("claim.power: its spread comes from the calibration seeds; declare calibration: {seeds: [...]} (\(power.tree.origin))")
        }
        return Claim(name: conditions[0].experiment.name, file: file, statement: try statement.string(), source: try entries["source"]?.string() ?? "",
                     design: try entries["design"]?.string() ?? "", test: test, conditions: conditions, fileSHA256: sha, quick: quick)
    }

    /// The experiment with every `key.path: value` of `quick:` set, and those settings as override text.
    private static func applying(_ quick: ConfigReader, to experiment: ConfigTree) throws -> (ConfigTree, [String]) {
        let settings = try dottedSettings(quick)
        return (try experiment.applying(settings), settings.map { "\($0.key)=\($0.value.canonicalText.trimmingCharacters(in: .whitespacesAndNewlines))" })
    }

    /// A mapping of dotted key paths to values (`quick:`, a condition's `set:`).
    static func dottedSettings(_ reader: ConfigReader) throws -> [ConfigTree.Entry] {
        guard case .mapping(let settings, _) = reader.tree else {
            throw ConfigError("\(reader.path): expected a mapping of key paths to values (\(reader.tree.origin))")
        }
        return settings
    }
}

/// One setting a claim's experiment runs under.
public struct ClaimCondition: Sendable {
    public let name: String
    /// Where the condition sits on a chart's x axis (nil: conditions are categories).
    public let x: Double?
    /// The experiment with the condition's overrides applied.
    public let experiment: ExperimentConfig

    static func decode(_ reader: ConfigReader, experiment: ConfigTree, fileSHA256: String, overrides: [String]) throws -> ClaimCondition {
        let entries = try reader.entries(allowed: ["name", "x", "set"])
        guard let name = entries["name"] else { throw ConfigError("\(reader.path).name: missing (\(reader.tree.origin))") }
        let conditionName = try name.string()
        guard conditionName.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
            throw ConfigError("\(name.path): expected letters, digits, '-', '_' or '.', got '\(conditionName)' (it names files) (\(name.tree.origin))")
        }
        let tree = try entries["set"].map { try experiment.applying(Claim.dottedSettings($0)) } ?? experiment
        var config: ExperimentConfig
        do { config = try ExperimentConfig.decode(tree) } catch let error as ConfigError {
            throw ConfigError("condition \(conditionName): \(error.message)")
        }
        config.fileSHA256 = fileSHA256
        config.overrides = overrides
        return ClaimCondition(name: conditionName, x: try entries["x"]?.double(in: -1e9...1e9, description: "a number"), experiment: config)
    }
}
