/// Typed, validated access to a `ConfigTree` at a key path. Every error names the path, what
/// was found, what is allowed, and where the value was written.
public struct ConfigReader {
    public let tree: ConfigTree
    public let path: String

    public init(_ tree: ConfigTree, path: String = "") {
        self.tree = tree
        self.path = path
    }

    private func fail(_ expected: String, _ found: String) -> ConfigError {
        ConfigError("\(path.isEmpty ? "(top level)" : path): expected \(expected), got \(found) (\(tree.origin))")
    }

    private var shown: String {
        switch tree {
        case .scalar(let s, _): s.isEmpty ? "nothing" : s
        case .mapping: "a mapping"
        case .sequence: "a list"
        }
    }

    /// The mapping's entries, after checking every key is one of `allowed`.
    public func entries(allowed: [String]) throws -> [String: ConfigReader] {
        guard case .mapping(let pairs, _) = tree else { throw fail("a mapping with keys \(allowed.joined(separator: ", "))", shown) }
        var result: [String: ConfigReader] = [:]
        for pair in pairs {
            let childPath = path.isEmpty ? pair.key : "\(path).\(pair.key)"
            guard allowed.contains(pair.key) else {
                throw ConfigError("\(childPath): unknown key; allowed here: \(allowed.joined(separator: ", ")) (\(pair.keyOrigin))")
            }
            result[pair.key] = ConfigReader(pair.value, path: childPath)
        }
        return result
    }

    public func string(allowed: [String]? = nil) throws -> String {
        guard case .scalar(let s, _) = tree, !s.isEmpty else { throw fail(allowed.map { "one of \($0.joined(separator: ", "))" } ?? "text", shown) }
        if let allowed, !allowed.contains(s) { throw fail("one of \(allowed.joined(separator: ", "))", "'\(s)'") }
        return s
    }

    public func int(minimum: Int = Int.min, description: String = "an integer") throws -> Int {
        guard case .scalar(let s, _) = tree, let value = Int(s) else { throw fail(description, shown) }
        guard value >= minimum else { throw fail(description, s) }
        return value
    }

    public func positiveInt() throws -> Int { try int(minimum: 1, description: "a positive integer") }

    public func double(in range: ClosedRange<Double>, description: String) throws -> Double {
        guard case .scalar(let s, _) = tree, let value = Double(s), value.isFinite else { throw fail(description, shown) }
        guard range.contains(value) else { throw fail(description, s) }
        return value
    }

    public func bool() throws -> Bool {
        guard case .scalar(let s, _) = tree, let value = ["true": true, "false": false, "yes": true, "no": false][s.lowercased()] else {
            throw fail("true or false", shown)
        }
        return value
    }

    public func list() throws -> [ConfigReader] {
        guard case .sequence(let items, _) = tree else { throw fail("a list", shown) }
        return items.enumerated().map { ConfigReader($1, path: "\(path)[\($0)]") }
    }
}
