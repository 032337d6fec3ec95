import ArgumentParser

/// A list option written with commas (`--seeds 1,2,3`, `--format md,svg`): each element parsed
/// as `Element` parses one argument, so a value that is not one is refused by the parser, with the
/// allowed values listed where `Element` has them. `none` is the empty list.
struct CommaList<Element: ExpressibleByArgument>: ExpressibleByArgument {
    var values: [Element]

    init(_ values: [Element]) { self.values = values }

    init?(argument: String) {
        guard argument != "none" else { values = []; return }
        let parsed = argument.split(separator: ",", omittingEmptySubsequences: false).map { Element(argument: $0.trimmingCharacters(in: .whitespaces)) }
        guard !parsed.contains(where: { $0 == nil }) else { return nil }
        values = parsed.compactMap { $0 }
    }

    static var allValueStrings: [String] { Element.allValueStrings }

    var defaultValueDescription: String { values.isEmpty ? "none" : values.map(\.defaultValueDescription).joined(separator: ",") }
}

extension CommaList where Element == Int {
    /// Seeds: distinct and ≥ 0, at least one.
    /// - Throws: `ValidationError` naming `option`.
    func seeds(_ option: String = "--seeds") throws -> [UInt64] {
        guard !values.isEmpty, values.allSatisfy({ $0 >= 0 }), Set(values).count == values.count else {
            throw ValidationError("\(option) must be distinct non-negative integers separated by commas, got \(defaultValueDescription).")
        }
        return values.map(UInt64.init)
    }

    /// Thread counts: each ≥ 1, at least one.
    /// - Throws: `ValidationError` naming `option`.
    func threadCounts(_ option: String = "--threads") throws -> [Int] {
        guard !values.isEmpty, values.allSatisfy({ $0 >= 1 }) else {
            throw ValidationError("\(option) takes positive integers separated by commas, got \(defaultValueDescription).")
        }
        return values
    }
}
