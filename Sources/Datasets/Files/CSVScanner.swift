#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One field of a CSV record: a byte range of the file, already without surrounding spaces and,
/// when it was quoted, without its quotes (`doubledQuotes`: it holds `""` pairs to undo).
struct CSVField {
    var start: Int
    var end: Int
    var quoted = false
    var doubledQuotes = false
}

/// Splits the bytes of a CSV file into records, as spreadsheets and Python's csv module write
/// them: LF or CRLF line ends, an optional UTF-8 byte-order mark, RFC 4180 quoting (a field in
/// double quotes may hold commas, line breaks and `""` for a quote), spaces around fields
/// ignored, blank lines skipped. It works on bytes, makes no `String` per field and reads the file
/// through a window of about a megabyte, so numeric files of millions of fields read at the speed
/// of the disk in little memory. A record's fields are valid until the next call.
final class CSVScanner {
    let file: String
    /// The file's size in bytes.
    var fileSize: Int { source.size }
    /// The window: the file's unread part from the current record on, in `0..<end`, then a NUL so
    /// C number parsers stop at its end.
    private(set) var bytes: [UInt8]
    private var end = 0
    private var position = 0
    private var line = 1
    private var exhausted = false
    private let source: ReadableFile
    private static let chunk = 1 << 20

    /// A record ran past the window before the file ended: read more and scan it again.
    private struct NeedMoreBytes: Error {}

    /// - Throws: `DatasetError.invalid` naming the file when it cannot be read.
    init(contentsOf file: String) throws {
        self.file = file
        source = try ReadableFile(file)
        bytes = [UInt8](repeating: 0, count: Self.chunk + 1)
        try refill()
        if bytes[0..<min(end, 3)].elementsEqual([0xEF, 0xBB, 0xBF]) { position = 3 }
    }

    /// Reads the next non-blank record into `fields` (replacing what it held) and returns its
    /// first line number, or nil at the end of the file.
    /// - Throws: `DatasetError.invalid` naming the file and line of a quote left open or text
    ///   after a closing quote, or when the file cannot be read.
    func nextRecord(into fields: inout [CSVField]) throws -> Int? {
        while true {
            try ensureLineEnd()
            guard position < end else { return nil }
            let recordStart = position, recordLine = line
            do {
                fields.removeAll(keepingCapacity: true)
                var atRecordEnd = false
                while !atRecordEnd {
                    let (field, terminator) = try scanField()
                    fields.append(field)
                    atRecordEnd = terminator != UInt8(ascii: ",")
                }
            } catch is NeedMoreBytes {
                position = recordStart; line = recordLine
                try refill()
                continue
            }
            if fields.count == 1 && fields[0].start == fields[0].end && !fields[0].quoted { continue }   // a blank line
            return recordLine
        }
    }

    /// Makes sure the window holds a line end after `position`, or the rest of the file.
    private func ensureLineEnd() throws {
        while !exhausted && !bytes[position..<end].contains(UInt8(ascii: "\n")) { try refill() }
    }

    /// Moves the unread bytes to the front of the window and reads more of the file after them,
    /// growing the window when a single record fills it.
    private func refill() throws {
        guard !exhausted else { return }
        if position > 0 {
            bytes.withUnsafeMutableBufferPointer { buffer in
                let base = buffer.baseAddress!
                base.update(from: base + position, count: end - position)
            }
            end -= position
            position = 0
        }
        if bytes.count - 1 - end < Self.chunk / 2 { bytes += [UInt8](repeating: 0, count: bytes.count) }
        let got = try bytes.withUnsafeMutableBufferPointer { buffer in try source.read(into: buffer.baseAddress! + end, count: buffer.count - 1 - end) }
        end += got
        bytes[end] = 0
        if got == 0 { exhausted = true }
    }

    /// The field's text.
    func string(_ field: CSVField) -> String {
        let text = String(decoding: bytes[field.start..<field.end], as: UTF8.self)
        return field.doubledQuotes ? text.replacingOccurrences(of: "\"\"", with: "\"") : text
    }

    /// The field as a number (decimal or exponent notation, "nan", "inf"), or nil when it is not
    /// one whole number. Correctly rounded, as `strtod`.
    func double(_ field: CSVField) -> Double? {
        guard field.start < field.end else { return nil }
        if let value = fastDecimal(field) { return value }
        return bytes.withUnsafeBufferPointer { buffer -> Double? in
            let start = UnsafeMutableRawPointer(mutating: buffer.baseAddress! + field.start).assumingMemoryBound(to: CChar.self)
            var stop: UnsafeMutablePointer<CChar>?
            let value = strtod(start, &stop)
            return stop.map { $0 - start } == field.end - field.start ? value : nil
        }
    }

    /// Clinger's fast path: a plain decimal ("-0.125", "3e-4") whose digits fit in 2⁵³ and whose
    /// power of ten is at most 22 is one exact integer times or divided by one exact power of ten,
    /// so a single correctly rounded operation gives `strtod`'s result. Nil for anything else,
    /// which `strtod` then reads.
    private func fastDecimal(_ field: CSVField) -> Double? {
        var index = field.start, negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") { negative = bytes[index] == UInt8(ascii: "-"); index += 1 }
        var mantissa: UInt64 = 0, digits = 0, exponent = 0, sawDigit = false, sawPoint = false
        while index < field.end {
            let byte = bytes[index]
            if byte >= 48 && byte <= 57 {
                sawDigit = true
                if mantissa == 0 && byte == 48 { if sawPoint { exponent -= 1 } ; index += 1; continue }
                guard digits < 16 else { return nil }
                mantissa = mantissa * 10 + UInt64(byte - 48)
                digits += 1
                if sawPoint { exponent -= 1 }
            } else if byte == UInt8(ascii: ".") && !sawPoint {
                sawPoint = true
            } else { break }
            index += 1
        }
        guard sawDigit else { return nil }
        if index < field.end {
            guard bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") else { return nil }
            index += 1
            var exponentNegative = false, written = 0, exponentDigits = 0
            if index < field.end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                exponentNegative = bytes[index] == UInt8(ascii: "-"); index += 1
            }
            while index < field.end, bytes[index] >= 48, bytes[index] <= 57, exponentDigits < 4 {
                written = written * 10 + Int(bytes[index] - 48); index += 1; exponentDigits += 1
            }
            guard exponentDigits > 0, index == field.end else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard mantissa < 1 << 53 else { return nil }
        let value: Double
        if mantissa == 0 {
            value = 0
        } else if (0...22).contains(exponent) {
            value = Double(mantissa) * Self.powersOfTen[exponent]
        } else if (-22..<0).contains(exponent) {
            value = Double(mantissa) / Self.powersOfTen[-exponent]
        } else {
            return nil
        }
        return negative ? -value : value
    }

    /// 10⁰ … 10²², each exact in a Double.
    private static let powersOfTen: [Double] = (0...22).map { (0..<$0).reduce(1.0) { value, _ in value * 10 } }

    /// The field as an integer, or nil when it is not one whole integer.
    func integer(_ field: CSVField) -> Int? {
        guard field.start < field.end else { return nil }
        var value = 0, index = field.start, negative = false
        if bytes[index] == UInt8(ascii: "-") { negative = true; index += 1 } else if bytes[index] == UInt8(ascii: "+") { index += 1 }
        guard index < field.end else { return nil }
        while index < field.end {
            let digit = Int(bytes[index]) - 48
            guard (0...9).contains(digit) else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(digit)
            guard !overflow1 && !overflow2 else { return nil }
            value = sum
            index += 1
        }
        return negative ? -value : value
    }

    /// Scans one field from `position`; returns it and the byte that ended it (`,`, `\n`, or 0 at
    /// the end of the file), leaving `position` after that byte.
    private func scanField() throws -> (CSVField, UInt8) {
        skipSpaces()
        if position < end && bytes[position] == UInt8(ascii: "\"") { return try scanQuotedField() }
        let start = position
        while position < end, bytes[position] != UInt8(ascii: ","), bytes[position] != UInt8(ascii: "\n") { position += 1 }
        var stop = position
        if stop > start && bytes[stop - 1] == UInt8(ascii: "\r") && (position == end || bytes[position] == UInt8(ascii: "\n")) { stop -= 1 }
        while stop > start && (bytes[stop - 1] == UInt8(ascii: " ") || bytes[stop - 1] == UInt8(ascii: "\t")) { stop -= 1 }
        if position == end && !exhausted { throw NeedMoreBytes() }
        return (CSVField(start: start, end: stop), consumeTerminator())
    }

    private func scanQuotedField() throws -> (CSVField, UInt8) {
        let openedOn = line
        position += 1
        let start = position
        var doubled = false
        while true {
            guard position < end else {
                if !exhausted { throw NeedMoreBytes() }
                throw DatasetError.invalid("\(file) line \(openedOn): a quoted field is not closed")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                if position + 1 < end && bytes[position + 1] == UInt8(ascii: "\"") { doubled = true; position += 2; continue }
                break
            }
            if byte == UInt8(ascii: "\n") { line += 1 }
            position += 1
        }
        let field = CSVField(start: start, end: position, quoted: true, doubledQuotes: doubled)
        position += 1
        skipSpaces()
        if (position + 1 >= end) && !exhausted { throw NeedMoreBytes() }
        if position < end && bytes[position] == UInt8(ascii: "\r") && position + 1 < end && bytes[position + 1] == UInt8(ascii: "\n") { position += 1 }
        guard position == end || bytes[position] == UInt8(ascii: ",") || bytes[position] == UInt8(ascii: "\n") else {
            throw DatasetError.invalid("\(file) line \(line): unexpected \(visible(String(decoding: [bytes[position]], as: UTF8.self))) after a closing quote; "
                                       + "expected a comma or the end of the line")
        }
        return (field, consumeTerminator())
    }

    private func skipSpaces() {
        while position < end && (bytes[position] == UInt8(ascii: " ") || bytes[position] == UInt8(ascii: "\t")) { position += 1 }
    }

    private func consumeTerminator() -> UInt8 {
        guard position < end else { return 0 }
        let byte = bytes[position]
        position += 1
        if byte == UInt8(ascii: "\n") { line += 1 }
        return byte
    }
}

/// `text` with invisible characters spelled out (`\r`, `\t`, `\u{FEFF}`, …) and quoted, so an
/// error message shows what really differs.
public func visible(_ text: String) -> String {
    var result = "'"
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\r": result += "\\r"
        case "\n": result += "\\n"
        case "\t": result += "\\t"
        case "'": result += "\\'"
        default:
            let invisible = scalar.value < 0x20 || scalar.value == 0x7F || (0x200B...0x200F).contains(scalar.value) || scalar.value == 0xFEFF
                || scalar.value == 0xA0
            result += invisible ? String(format: "\\u{%04X}", scalar.value) : String(scalar)
        }
    }
    return result + "'"
}
