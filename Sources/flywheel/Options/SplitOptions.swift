import ArgumentParser
import Datasets

/// Parses "train=60,val=20" style options: each part a split name and a value `parse` accepts.
/// - Parameter expected: how the error describes a good part, after "expected".
func parseSplitValues<Value>(_ text: String, option: String, expected: String, _ parse: (String) -> Value?) throws -> [Split: Value] {
    var values: [Split: Value] = [:]
    for part in text.split(separator: ",") {
        let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2, let split = Split(name: pair[0]), let value = parse(pair[1]) else {
            throw ValidationError("\(option): expected \(expected), got '\(part)'.")
        }
        values[split] = value
    }
    return values
}

/// Parses "train=60,val=20,test=100,pool=200" (missing splits count 0).
func parseSplitCounts(_ text: String) throws -> SplitCounts {
    let counts = try parseSplitValues(text, option: "--per-class",
                                      expected: "split=count with split train, val, test or pool and count ≥ 0") { Int($0).flatMap { $0 >= 0 ? $0 : nil } }
    return SplitCounts(train: counts[.train] ?? 0, validation: counts[.validation] ?? 0, test: counts[.test] ?? 0, pool: counts[.pool] ?? 0)
}

/// Parses "train=0.6,val=0.2,test=0.2"; the fractions must add up to 1.
func parseFractions(_ text: String) throws -> [Split: Double] {
    let fractions = try parseSplitValues(text, option: "--split",
                                         expected: "split=fraction with split train, val, test or pool") { Double($0).flatMap { $0 >= 0 ? $0 : nil } }
    let total = fractions.values.reduce(0, +)
    guard abs(total - 1) < 1e-6 else { throw ValidationError("--split: fractions add up to \(total); they must add up to 1.") }
    return fractions
}

/// Parses "test=0.2" or "val=0.1,test=0.2": shares of each class's training images (`--hold-out`).
func parseHeldOut(_ text: String) throws -> [Split: Double] {
    try parseSplitValues(text, option: "--hold-out", expected: "split=fraction with split val, test or pool and fraction in (0, 1)") {
        Double($0).flatMap { $0 > 0 && $0 < 1 ? $0 : nil }
    }
}
