import Datasets

/// `dataset.drift` and `dataset.imbalance`: how the data as delivered differs from a clean, balanced
/// draw of one condition — images of some splits shifted to another condition (summer to winter),
/// and some classes rarer than others.
///
///     drift:
///       test: {brightness: -0.25}
///       pool: {brightness: -0.25}
///     imbalance: {classes: [crazing], ratio: 10}
///     imbalance: {classes: [crazing], ratio: 10, splits: [train, val]}   # the pool as the line delivers it
public struct DataShift: Sendable, Equatable {
    /// Per split, the shifts applied to its images, in the order written.
    public var drift: [(split: Split, shifts: [Drift])] = []
    /// The rare classes (by name) and how many times rarer they are than the others in the train,
    /// validation and pool splits; the test set stays balanced.
    public var rareClasses: [String] = []
    public var ratio: Double = 1
    /// The splits the rare classes are rarer in (nil: train, validation and pool).
    public var thinnedSplits: [Split]?

    public static func == (a: DataShift, b: DataShift) -> Bool {
        a.rareClasses == b.rareClasses && a.ratio == b.ratio && a.thinnedSplits == b.thinnedSplits && a.drift.map(\.split) == b.drift.map(\.split) && a.drift.map(\.shifts) == b.drift.map(\.shifts)
    }

    /// The drift keys and what each takes.
    static let driftKeys = ["brightness", "contrast", "blur", "sensor_noise", "texture_scale", "droplets", "glare"]

    /// Decodes `dataset.drift` (a mapping of split names to mappings of drift keys).
    static func decodeDrift(_ reader: ConfigReader) throws -> [(split: Split, shifts: [Drift])] {
        guard case .mapping(let pairs, _) = reader.tree else {
            throw ConfigError("\(reader.path): expected a mapping of splits (train, val, test, pool) to drifts (\(reader.tree.origin))")
        }
        let entries = try reader.entries(allowed: ["train", "val", "test", "pool"])
        return try pairs.map { pair in
            let splitReader = entries[pair.key]!
            guard case .mapping(let effects, _) = splitReader.tree, !effects.isEmpty else {
                throw ConfigError("\(splitReader.path): expected a mapping of drifts, any of \(driftKeys.joined(separator: ", ")) (\(splitReader.tree.origin))")
            }
            let values = try splitReader.entries(allowed: driftKeys)
            return (Split(name: pair.key)!, try effects.map { try drift(named: $0.key, values[$0.key]!) })
        }
    }

    private static func drift(named key: String, _ value: ConfigReader) throws -> Drift {
        switch key {
        case "brightness": return .brightness(Float(try value.double(in: -1...1, description: "a brightness change in [-1, 1]")))
        case "contrast": return .contrast(Float(try value.double(in: 0...10, description: "a contrast factor in [0, 10]")))
        case "blur": return .blur(sigma: Float(try value.double(in: 0.01...10, description: "a blur sigma in (0, 10] pixels")))
        case "sensor_noise": return .sensorNoise(sigma: Float(try value.double(in: 0...1, description: "a noise sigma in [0, 1]")))
        case "texture_scale": return .textureScale(Float(try value.double(in: 1...8, description: "a zoom factor in [1, 8]")))
        case "droplets": return .droplets(count: try value.int(minimum: 0, description: "a droplet count ≥ 0"))
        default: return .glare(strength: Float(try value.double(in: 0...2, description: "a glare strength in [0, 2]")))
        }
    }

    /// Decodes `dataset.imbalance: {classes: [NAME, …], ratio: R, splits: [train, val, pool]}`.
    static func decodeImbalance(_ reader: ConfigReader) throws -> (classes: [String], ratio: Double, splits: [Split]?) {
        let entries = try reader.entries(allowed: ["classes", "ratio", "splits"])
        guard let classes = entries["classes"] else { throw ConfigError("\(reader.path).classes: missing; name the rare classes (\(reader.tree.origin))") }
        guard let ratio = entries["ratio"] else { throw ConfigError("\(reader.path).ratio: missing; how many times rarer, ≥ 1 (\(reader.tree.origin))") }
        let names = try classes.list().map { try $0.string() }
        guard !names.isEmpty, Set(names).count == names.count else {
            throw ConfigError("\(classes.path): expected at least one class name, each once (\(classes.tree.origin))")
        }
        let splits = try entries["splits"].map { list -> [Split] in
            let names = try list.list().map { try $0.string(allowed: ["train", "val", "pool"]) }
            guard !names.isEmpty, Set(names).count == names.count else {
                throw ConfigError("\(list.path): expected at least one of train, val, pool, each once (the test set stays balanced) (\(list.tree.origin))")
            }
            return Split.allCases.filter { names.contains($0.description) }
        }
        return (names, try ratio.double(in: 1...1000, description: "a ratio in [1, 1000]"), splits)
    }

    /// `data` with the rare classes thinned, then the drifts applied (each split's in order).
    /// - Throws: `ConfigError` when a rare class is not one of the data's classes.
    func apply(to data: Dataset, seed: UInt64) throws -> Dataset {
        var shifted = data
        if !rareClasses.isEmpty {
            if let unknown = rareClasses.first(where: { !data.classNames.contains($0) }) {
                throw ConfigError("dataset.imbalance.classes: unknown class '\(unknown)'; the data has \(data.classNames.joined(separator: ", "))")
            }
            let keep = data.classNames.map { rareClasses.contains($0) ? 1 / ratio : 1 }
            let imbalance = thinnedSplits.map { Imbalance(keep: keep, splits: Set($0)) } ?? Imbalance(keep: keep)
            shifted = try imbalance.apply(to: shifted, seed: seed &+ 0x1B)
        }
        for (index, entry) in drift.enumerated() {
            for (order, shift) in entry.shifts.enumerated() {
                shifted = try shift.apply(to: shifted, splits: [entry.split], seed: seed &+ 0xD1F7 &+ UInt64(index * 16 + order))
            }
        }
        return shifted
    }

    /// Whether it changes nothing.
    var isEmpty: Bool { drift.isEmpty && rareClasses.isEmpty }
}

extension DataShift: Encodable {
    /// `drift` as a list of `{split: [shifts]}` in the order written, then the rare classes and their ratio.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: NameKey.self)
        try container.encode(drift.map { [$0.split.description: $0.shifts] }, forKey: NameKey("drift"))
        try container.encode(rareClasses, forKey: NameKey("rare_classes"))
        try container.encode(ratio, forKey: NameKey("ratio"))
        if let thinnedSplits { try container.encode(thinnedSplits.map(\.description), forKey: NameKey("thinned_splits")) }
    }
}
