import Foundation

/// A CSV file read into rows of fields (RFC 4180 quoting: fields in double quotes may hold
/// commas, and "" is a literal quote), each row with its 1-based line number for error messages.
public struct CSVTable: Sendable {
    public let file: String
    /// The first row.
    public let header: [String]
    /// The other non-empty rows, with their line numbers.
    public let rows: [(line: Int, fields: [String])]

    /// - Throws: `DatasetError.invalid` naming the file when it cannot be read, is empty, or a
    ///   row has a different number of fields than the header (naming the line).
    public init(contentsOf file: String) throws {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw DatasetError.invalid("\(file): cannot read the file") }
        var parsed: [(Int, [String])] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
            if trimmed.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            parsed.append((number + 1, try Self.fields(of: trimmed, file: file, line: number + 1)))
        }
        guard let first = parsed.first else { throw DatasetError.invalid("\(file): empty file; expected a header row") }
        self.file = file
        header = first.1
        rows = Array(parsed.dropFirst())
        for row in rows where row.fields.count != header.count {
            throw DatasetError.invalid("\(file) line \(row.line): expected \(header.count) fields (\(header.joined(separator: ","))), got \(row.fields.count)")
        }
    }

    private static func fields(of line: String, file: String, line number: Int) throws -> [String] {
        var fields: [String] = [], current = "", quoted = false
        var characters = line.makeIterator()
        while let c = characters.next() {
            if quoted {
                if c == "\"" {
                    var lookahead = characters
                    if lookahead.next() == "\"" { current.append("\""); characters = lookahead } else { quoted = false }
                } else { current.append(c) }
            } else if c == "\"" && current.isEmpty {
                quoted = true
            } else if c == "," {
                fields.append(current.trimmingCharacters(in: .whitespaces)); current = ""
            } else { current.append(c) }
        }
        guard !quoted else { throw DatasetError.invalid("\(file) line \(number): a quoted field is not closed") }
        fields.append(current.trimmingCharacters(in: .whitespaces))
        return fields
    }

    /// `value` as one CSV field, quoted when it holds a comma, quote or line break.
    public static func escaped(_ value: String) -> String {
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
