/// A CSV file of numbers, all rows with the same number of columns (a first row that is not all
/// numbers is a header and is skipped), read straight from bytes without a `String` per field.
public struct CSVNumbers: Sendable {
    /// The numbers, row-major.
    public let values: [Double]
    public let columns: Int
    /// The line of each row, for error messages.
    public let lines: [Int]

    /// - Throws: `DatasetError.invalid` naming the file and line of a field that is not a number
    ///   (shown with any invisible characters spelled out) or a row of another width; or naming
    ///   the file when it holds no rows of numbers.
    public init(contentsOf file: String) throws {
        let scanner = try CSVScanner(contentsOf: file)
        var fields: [CSVField] = [], values: [Double] = [], lines: [Int] = [], columns = 0
        while let line = try scanner.nextRecord(into: &fields) {
            if lines.isEmpty && columns == 0 && fields.contains(where: { scanner.double($0) == nil }) {
                columns = -1   // the header: skipped once
                continue
            }
            if lines.isEmpty {
                columns = fields.count
                // Room for about as many rows as the file has bytes for, judged by this first one.
                let rowBytes = max(fields[fields.count - 1].end - fields[0].start + 1, 1)
                values.reserveCapacity(scanner.fileSize / rowBytes * columns + columns)
            }
            guard fields.count == columns else {
                throw DatasetError.invalid("\(file) line \(line): expected \(columns) number\(columns == 1 ? "" : "s") like the rows before, got \(fields.count) fields")
            }
            for field in fields {
                guard let value = scanner.double(field) else {
                    throw DatasetError.invalid("\(file) line \(line): expected a number, got \(visible(scanner.string(field)))")
                }
                values.append(value)
            }
            lines.append(line)
        }
        guard !lines.isEmpty else { throw DatasetError.invalid("\(file): no rows of numbers") }
        self.values = values
        self.columns = columns
        self.lines = lines
    }
}
