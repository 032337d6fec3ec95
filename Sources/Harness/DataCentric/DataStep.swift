import Datasets
import Store

/// One step of the data-centric arm: it changes the seed's data as delivered and records what it
/// did and what it cost (the effort ledger of the trial).
public protocol DataStep: Sendable {
    /// The name experiment files use (`augment`).
    static var name: String { get }
    /// Decodes and validates the step's options (errors name the key path and line).
    init(options: ConfigReader) throws
    /// Applies the step; the returned record is stored under `/curation` in the trial file.
    func apply(to data: Dataset, seed: Int) throws -> (Dataset, CurationStep)
}

/// The steps the data-centric arm can name. Confident learning, relabeling, targeted collection
/// and active learning join this list with the curation tools.
public enum DataSteps {
    public static let all: [any DataStep.Type] = [AugmentStep.self]

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

/// `augment: {flips: true, vflips: false, rot90: true}` — transformed copies of the training images.
public struct AugmentStep: DataStep {
    public static let name = "augment"
    let augmentation: Augmentation

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["flips", "vflips", "rot90"])
        augmentation = Augmentation(horizontalFlip: try o["flips"]?.bool() ?? false, verticalFlip: try o["vflips"]?.bool() ?? false,
                                    rotations: try o["rot90"]?.bool() ?? false)
        guard augmentation.multiplier > 1 else {
            throw ConfigError("\(options.path): expected at least one of flips, vflips, rot90 to be true (\(options.tree.origin))")
        }
    }

    public func apply(to data: Dataset, seed: Int) throws -> (Dataset, CurationStep) {
        let before = data.count
        let augmented = try augmentation.apply(to: data)
        return (augmented, CurationStep(name: Self.name, scalars: ["multiplier": Double(augmentation.multiplier),
                                                                  "samples_added": Double(augmented.count - before)]))
    }
}
