import Yams

/// A parsed experiment file (or override) that remembers where each value came from, so every
/// error can name the key path and its line.
public indirect enum ConfigTree: Equatable, Sendable {
    /// A key of a mapping, where the key was written, and its value.
    public struct Entry: Sendable {
        public var key: String
        public var keyOrigin: String
        public var value: ConfigTree
    }

    case scalar(String, origin: String)
    case mapping([Entry], origin: String)
    case sequence([ConfigTree], origin: String)

    /// Parses YAML text; `file` names it in origins ("experiments/x.yaml line 7").
    public static func parse(_ text: String, file: String) throws -> ConfigTree {
        let node: Node?
        do { node = try Yams.compose(yaml: text) } catch {
            throw ConfigError("\(file)\(syntaxErrorPlace(error)): not valid YAML: \(syntaxProblem(error))")
        }
        guard let node else { return .mapping([], origin: file) }
        return try ConfigTree(node, file: file)
    }

    /// " line L, column C" where the YAML parser stopped ("" when it did not say).
    private static func syntaxErrorPlace(_ error: Error) -> String {
        switch error as? YamlError {
        case .scanner(_, _, let mark, _)?, .parser(_, _, let mark, _)?, .composer(_, _, let mark, _)?:
            return " line \(mark.line), column \(mark.column)"
        default: return ""
        }
    }

    /// What the YAML parser found wrong, with the construct it was reading, on one line.
    private static func syntaxProblem(_ error: Error) -> String {
        switch error as? YamlError {
        case .scanner(let context, let problem, _, _)?, .parser(let context, let problem, _, _)?, .composer(let context, let problem, _, _)?:
            return problem + (context.map { " (\($0.text) from line \($0.mark.line))" } ?? "")
        default: return "\(error)"
        }
    }

    private init(_ node: Node, file: String) throws {
        let origin = node.mark.map { "\(file) line \($0.line)" } ?? file
        switch node {
        case .scalar(let scalar): self = .scalar(scalar.string, origin: origin)
        case .mapping(let mapping):
            var pairs: [Entry] = []
            for (key, value) in mapping {
                let keyOrigin = key.mark.map { "\(file) line \($0.line)" } ?? origin
                guard let name = key.string else { throw ConfigError("\(keyOrigin): mapping keys must be plain text") }
                if pairs.contains(where: { $0.key == name }) { throw ConfigError("\(keyOrigin): key '\(name)' appears twice") }
                pairs.append(Entry(key: name, keyOrigin: keyOrigin, value: try ConfigTree(value, file: file)))
            }
            self = .mapping(pairs, origin: origin)
        case .sequence(let sequence): self = .sequence(try sequence.map { try ConfigTree($0, file: file) }, origin: origin)
        case .alias: throw ConfigError("\(origin): YAML aliases are not supported in experiment files")
        }
    }

    /// Where this value was written.
    public var origin: String {
        switch self {
        case .scalar(_, let o), .mapping(_, let o), .sequence(_, let o): o
        }
    }

    public static func == (a: ConfigTree, b: ConfigTree) -> Bool {
        switch (a, b) {
        case let (.scalar(x, _), .scalar(y, _)): x == y
        case let (.sequence(x, _), .sequence(y, _)): x == y
        case let (.mapping(x, _), .mapping(y, _)): x.map(\.key) == y.map(\.key) && x.map(\.value) == y.map(\.value)
        default: false
        }
    }

    /// Sets the value at a dotted `path` ("baseline.train.epochs"), creating mappings on the way.
    public func setting(_ path: [String], to value: ConfigTree) throws -> ConfigTree {
        guard let head = path.first else { return value }
        guard case .mapping(var pairs, let origin) = self else {
            throw ConfigError("\(value.origin): cannot set '\(path.joined(separator: "."))' inside a value that is not a mapping")
        }
        if let index = pairs.firstIndex(where: { $0.key == head }) {
            pairs[index].value = try pairs[index].value.setting(Array(path.dropFirst()), to: value)
        } else {
            pairs.append(Entry(key: head, keyOrigin: value.origin,
                               value: try ConfigTree.mapping([], origin: value.origin).setting(Array(path.dropFirst()), to: value)))
        }
        return .mapping(pairs, origin: origin)
    }

    /// The tree with each `key.path: value` entry set, in order (a variant's overrides, a claim
    /// condition's `set:`).
    public func applying(_ settings: [Entry]) throws -> ConfigTree {
        try settings.reduce(self) { tree, setting in try tree.setting(setting.key.split(separator: ".").map(String.init), to: setting.value) }
    }

    /// Canonical YAML text (keys sorted; nested values inside lists in flow style), used to name
    /// variants and sweep points.
    public var canonicalText: String { block(indent: "") }

    private func block(indent: String) -> String {
        guard case .mapping(let pairs, _) = self else { return flow }
        return pairs.sorted { $0.key < $1.key }.map { pair in
            if case .mapping(let inner, _) = pair.value, !inner.isEmpty {
                return "\(indent)\(pair.key):\n" + pair.value.block(indent: indent + "  ")
            }
            return "\(indent)\(pair.key): \(pair.value.flow)"
        }.joined(separator: "\n")
    }

    private var flow: String {
        switch self {
        case .scalar(let s, _): s
        case .sequence(let items, _): "[" + items.map(\.flow).joined(separator: ", ") + "]"
        case .mapping(let pairs, _): "{" + pairs.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value.flow)" }.joined(separator: ", ") + "}"
        }
    }
}

/// A bad experiment file, override or value; the message names the key path, what was found,
/// what is allowed, and where it was written.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
