import Foundation

/// A CSV file read into rows of text fields, each with its line number for error messages. The
/// bytes are split by `CSVScanner`: LF or CRLF, a byte-order mark, RFC 4180 quoting.
public struct CSVTable: Sendable {
    public let file: String
    /// The first row.
    public let header: [String]
    /// The other non-empty rows, with their line numbers.
    public let rows: [(line: Int, fields: [String])]

    /// - Throws: `DatasetError.invalid` naming the file when it cannot be read, is empty, or a
    ///   row has a different number of fields than the header (naming the line).
    public init(contentsOf file: String) throws {
        let records = try Self.records(of: file)
        guard let first = records.first else { throw DatasetError.invalid("\(file): empty file; expected a header row") }
        self.file = file
        header = first.fields
        rows = Array(records.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw DatasetError.invalid("\(file) line \(row.line): expected \(header.count) fields (\(header.joined(separator: ","))), got \(row.fields.count)")
        }
    }

    /// Every non-blank record of `file` as text fields, with its first line number; no header
    /// is assumed.
    /// - Throws: `DatasetError.invalid` naming the file (and line) when it cannot be read or a
    ///   quote is left open.
    public static func records(of file: String) throws -> [(line: Int, fields: [String])] {
        let scanner = try CSVScanner(contentsOf: file)
        var fields: [CSVField] = [], records: [(Int, [String])] = []
        while let line = try scanner.nextRecord(into: &fields) { records.append((line, fields.map(scanner.string))) }
        return records
    }

    /// `value` as one CSV field, quoted when it holds a comma, quote or line break.
    public static func escaped(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
