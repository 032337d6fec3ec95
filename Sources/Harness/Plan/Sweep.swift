import Engine

/// `sweep:` — more model-centric variants from axes of values: every combination (`grid`), or
/// `count` distinct combinations drawn with `seed` (`random`). Each point is a set of overrides
/// of the baseline, like a hand-written variant.
///
///     sweep:
///       mode: random          # or grid (default)
///       count: 6
///       seed: 1
///       axes:
///         train.lr: [0.005, 0.01, 0.02, 0.05]
///         train.batch: [16, 32, 64]
public struct Sweep: Sendable, Equatable {
    public enum Mode: String, Sendable { case grid, random }

    public var mode: Mode
    /// Axis key paths and their values, in file order.
    public var axes: [(key: String, values: [ConfigTree])]
    public var count: Int
    public var seed: UInt64

    public static func == (a: Sweep, b: Sweep) -> Bool {
        a.mode == b.mode && a.count == b.count && a.seed == b.seed && a.axes.map(\.key) == b.axes.map(\.key) && a.axes.map(\.values) == b.axes.map(\.values)
    }

    /// The points of the sweep, each a list of (key path, value) overrides: the full grid in
    /// row-major order (last axis fastest), or `count` distinct grid points drawn without
    /// replacement and kept in grid order.
    public var points: [[(key: String, value: ConfigTree)]] {
        let sizes = axes.map(\.values.count)
        let total = sizes.reduce(1, *)
        var chosen = Array(0..<total)
        if mode == .random && count < total {
            var generator = SplitMix64(seed: seed)
            generator.shuffle(&chosen)
            chosen = chosen.prefix(count).sorted()
        }
        return chosen.map { flat in
            var rest = flat
            var point: [(key: String, value: ConfigTree)] = []
            for (axis, size) in zip(axes, sizes).reversed() {
                point.insert((axis.key, axis.values[rest % size]), at: 0)
                rest /= size
            }
            return point
        }
    }

    /// Decodes `sweep:`; errors name the key path and line.
    static func decode(_ reader: ConfigReader) throws -> Sweep {
        let s = try reader.entries(allowed: ["mode", "axes", "count", "seed"])
        let mode = Mode(rawValue: try s["mode"]?.string(allowed: ["grid", "random"]) ?? "grid")!
        guard let axesReader = s["axes"], case .mapping(let entries, _) = axesReader.tree, !entries.isEmpty else {
            throw ConfigError("\(reader.path).axes: expected a mapping of key paths to lists of values (\(reader.tree.origin))")
        }
        let axes = try entries.map { entry -> (key: String, values: [ConfigTree]) in
            let values = try ConfigReader(entry.value, path: "\(reader.path).axes.\(entry.key)").list().map(\.tree)
            guard !values.isEmpty else { throw ConfigError("\(reader.path).axes.\(entry.key): expected at least one value (\(entry.value.origin))") }
            return (entry.key, values)
        }
        if mode == .random && s["count"] == nil {
            throw ConfigError("\(reader.path).count: missing; a random sweep draws this many points (\(reader.tree.origin))")
        }
        if mode == .grid, let extra = s["count"] ?? s["seed"] {
            throw ConfigError("\(extra.path): only a random sweep takes count and seed (\(extra.tree.origin))")
        }
        return Sweep(mode: mode, axes: axes, count: try s["count"]?.positiveInt() ?? 0,
                     seed: UInt64(try s["seed"]?.int(minimum: 0, description: "a seed ≥ 0") ?? 0))
    }
}
