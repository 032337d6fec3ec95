import ArgumentParser

/// The seeds of a `--seeds 1,2,3` option: distinct non-negative integers separated by commas.
/// - Throws: `ValidationError` naming the option and what it got.
func parseSeedList(_ text: String) throws -> [UInt64] {
    let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { UInt64($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, !parts.contains(nil), Set(parts).count == parts.count else {
        throw ValidationError("--seeds must be distinct non-negative integers separated by commas, got '\(text)'.")
    }
    return parts.compactMap { $0 }
}
