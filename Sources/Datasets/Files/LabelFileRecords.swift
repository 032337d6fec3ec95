import Foundation

/// The records of a label file, whatever separates its fields. A file whose first line holds a
/// comma is read as CSV (`CSVTable`: RFC 4180 quoting); otherwise its fields are separated by
/// tabs, else by semicolons, else by runs of spaces — as NumPy's `savetxt` writes and `genfromtxt`
/// reads label files such as `images/cell0001.png  1.0  mono` (no quoting: a path may not hold
/// the separator). Blank lines are skipped; a UTF-8 byte-order mark and CR line ends are ignored.
enum LabelFileRecords {
    /// What separates the fields of a label file.
    enum Separator: String {
        case comma = "commas", tab = "tabs", semicolon = "semicolons", spaces = "spaces"
    }

    /// The file's separator and its non-blank records, each with its line number.
    /// - Throws: `DatasetError.invalid` naming the file when it cannot be read or is not UTF-8
    ///   text (or, as CSV, naming the line of a quote left open).
    static func read(_ file: String) throws -> (separator: Separator, records: [(line: Int, fields: [String])]) {
        guard let data = FileManager.default.contents(atPath: file) else { throw DatasetError.invalid("\(file): cannot read the file") }
        guard var text = String(data: data, encoding: .utf8) else { throw DatasetError.invalid("\(file): not UTF-8 text") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let first = lines.first { !$0.allSatisfy(\.isWhitespace) } ?? ""
        let separator: Separator = first.contains(",") ? .comma : first.contains("\t") ? .tab : first.contains(";") ? .semicolon : .spaces
        if separator == .comma { return (separator, try CSVTable.records(of: file)) }
        let records = lines.enumerated().compactMap { index, line -> (line: Int, fields: [String])? in
            guard !line.allSatisfy(\.isWhitespace) else { return nil }
            let fields = separator == .spaces ? line.split(whereSeparator: { $0 == " " }).map(String.init)
                : line.split(separator: separator == .tab ? "\t" : ";", omittingEmptySubsequences: false)
                    .map { $0.trimmingCharacters(in: .whitespaces) }
            return (index + 1, fields)
        }
        return (separator, records)
    }
}
