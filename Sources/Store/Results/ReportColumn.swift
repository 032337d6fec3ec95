import Foundation

/// How markdown prints a column's values.
public enum ColumnFormat: Sendable {
    case text
    /// A count or plain number (`%g`).
    case count
    /// An accuracy as a percentage: 0.852 → "85.2%"; an interval "84.1%–86.3%".
    case percent
    /// A difference of accuracies in signed points: 0.031 → "+3.1"; an interval "+1.0…+5.2".
    case points
    /// A p-value (`%.3g`).
    case pValue
    /// Divided by `scale`, then printed with `format` (FLOPs as TFLOP: 1e12, "%.1f").
    case scaled(Double, String)
}

/// A value as a column reads it from a row.
public enum ColumnValue: Sendable {
    case text(String)
    case integer(Int64)
    case number(Double?)

    var text: String { if case .text(let t) = self { t } else { "" } }
    var integer: Int64 { if case .integer(let n) = self { n } else { 0 } }
    var number: Double? { if case .number(let x) = self { x } else { nil } }
}

/// What a column's fields hold in HDF5: strings, int64, or float64 (NaN where a row has no value).
public enum ColumnStorage: Sendable { case text, integer, number }

/// One column of a report table, defined once for every place the table appears: its field
/// names in CSV files and in the merged HDF5 file's `/analysis` group (where the notebook reads
/// them), its markdown heading, and how it reads a row. An interval is one column with two
/// fields (low, high), printed in one markdown cell.
public struct ReportColumn<Row>: Sendable {
    public typealias Format = ColumnFormat
    public typealias Value = ColumnValue
    public typealias Storage = ColumnStorage

    /// Field names in CSV and HDF5 (two for an interval: low, high).
    public let fields: [String]
    /// The markdown heading (nil: CSV and HDF5 only).
    public let heading: String?
    public let format: Format
    public let storage: Storage
    let read: @Sendable (Row) -> [Value]

    /// A text column.
    public static func text(_ field: String, _ heading: String?, _ value: @escaping @Sendable (Row) -> String) -> ReportColumn {
        ReportColumn(fields: [field], heading: heading, format: .text, storage: .text) { [.text(value($0))] }
    }

    /// An integer (an int64 dataset in HDF5).
    public static func integer(_ field: String, _ heading: String?, _ value: @escaping @Sendable (Row) -> Int64) -> ReportColumn {
        ReportColumn(fields: [field], heading: heading, format: .count, storage: .integer) { [.integer(value($0))] }
    }

    /// A number (nil where a row has none: an empty CSV field, NaN in HDF5, "—" in markdown).
    public static func number(_ field: String, _ heading: String?, _ format: Format, _ value: @escaping @Sendable (Row) -> Double?) -> ReportColumn {
        ReportColumn(fields: [field], heading: heading, format: format, storage: .number) { [.number(value($0))] }
    }

    /// An interval: two fields, one markdown cell.
    public static func interval(_ low: String, _ high: String, _ heading: String?, _ format: Format,
                                _ value: @escaping @Sendable (Row) -> (Double, Double)?) -> ReportColumn {
        ReportColumn(fields: [low, high], heading: heading, format: format, storage: .number) { row in
            let bounds = value(row)
            return [.number(bounds?.0), .number(bounds?.1)]
        }
    }

    /// The column reading another row type through `transform` (the comparison columns inside the arm table).
    public func reading<Other>(_ transform: @escaping @Sendable (Other) -> Row) -> ReportColumn<Other> {
        let read = self.read
        return ReportColumn<Other>(fields: fields, heading: heading, format: format, storage: storage) { read(transform($0)) }
    }

    /// The column with its fields prefixed (`data_minus_model_` + `p_value`) and another heading.
    public func prefixed(_ prefix: String, heading: String? = nil) -> ReportColumn {
        ReportColumn(fields: fields.map { prefix + $0 }, heading: heading ?? self.heading, format: format, storage: storage, read: read)
    }

    /// The markdown cell of `row`.
    public func markdownCell(_ row: Row) -> String {
        let values = read(row)
        if case .text(let text) = values[0] { return text }
        if case .integer(let n) = values[0] { return String(n) }
        let numbers = values.map(\.number)
        guard numbers.allSatisfy({ $0 != nil && $0!.isFinite }) else { return "—" }
        let printed = numbers.map { Self.print($0!, format) }
        if case .percent = format { return printed.joined(separator: "–") }
        return printed.joined(separator: "…")
    }

    /// The CSV fields of `row`, unquoted (an empty field for a missing number).
    public func csvFields(_ row: Row) -> [String] {
        read(row).map { value in
            switch value {
            case .text(let text): text
            case .integer(let n): String(n)
            case .number(let x): x.map { String($0) } ?? ""
            }
        }
    }

    static func print(_ x: Double, _ format: Format) -> String {
        switch format {
        case .text, .count: String(format: "%g", x)
        case .percent: String(format: "%.1f%%", 100 * x)
        case .points: String(format: "%+.1f", 100 * x)
        case .pValue: String(format: "%.3g", x)
        case .scaled(let scale, let style): String(format: style, x / scale)
        }
    }
}

/// Tables rendered from a column list.
public enum ReportTable {
    /// A markdown table: the columns that have a heading.
    public static func markdown<Row>(_ columns: [ReportColumn<Row>], _ rows: [Row]) -> [String] {
        let shown = columns.filter { $0.heading != nil }
        return ["| " + shown.map { $0.heading! }.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: shown.count)]
            + rows.map { row in "| " + shown.map { $0.markdownCell(row) }.joined(separator: " | ") + " |" }
    }

    /// A CSV table: every field of every column, header first.
    public static func csv<Row>(_ columns: [ReportColumn<Row>], _ rows: [Row]) -> String {
        let header = columns.flatMap(\.fields).map(quoted).joined(separator: ",")
        let lines = rows.map { row in columns.flatMap { $0.csvFields(row) }.map(quoted).joined(separator: ",") }
        return ([header] + lines).joined(separator: "\n") + "\n"
    }

    /// One dataset per field in `group` (strings for text, float64 with NaN for a missing number),
    /// and the field order as the group's `columns` attribute, one name a line (names may hold commas).
    public static func write<Row>(_ columns: [ReportColumn<Row>], _ rows: [Row], to group: HDF5Group) throws {
        try group.setAttribute("columns", columns.flatMap(\.fields).joined(separator: "\n"))
        for column in columns {
            let values = rows.map { column.read($0) }
            for (index, field) in column.fields.enumerated() {
                switch column.storage {
                case .text: try group.write(field, strings: values.map { $0[index].text })
                case .integer: try group.write(field, values.map { $0[index].integer }, shape: [values.count])
                case .number: try group.write(field, values.map { $0[index].number ?? .nan }, shape: [values.count], compress: false)
                }
            }
        }
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    public static func quoted(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
