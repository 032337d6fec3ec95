import Datasets
import Foundation

/// Labels and predicted probabilities from CSV files written by any model or framework, for
/// `flywheel label-issues --labels --pred-probs`.
public enum LabelIssueInputs {
    /// One integer label per line (a first line that is not an integer is a header).
    /// - Throws: `CurationError.invalidInput` naming the file and line of a bad value.
    public static func labels(from file: String) throws -> [Int] {
        try rows(file).map { line, fields in
            guard fields.count == 1, let label = Int(fields[0]), label >= 0 else {
                throw CurationError.invalidInput("\(file) line \(line): expected one class index ≥ 0, got '\(fields.joined(separator: ","))'")
            }
            return label
        }
    }

    /// One row of K probabilities per line, comma-separated (a first line that is not numbers is a header).
    /// - Throws: `CurationError.invalidInput` naming the file and line of a row that is not K numbers in [0, 1].
    public static func probabilities(from file: String) throws -> PredictedProbabilities {
        let table = try rows(file)
        guard let k = table.first?.fields.count else { throw CurationError.invalidInput("\(file): no rows") }
        var values: [Double] = []
        for (line, fields) in table {
            let row = fields.compactMap { Double($0) }
            guard fields.count == k, row.count == k, row.allSatisfy({ $0 >= 0 && $0 <= 1 }) else {
                throw CurationError.invalidInput("\(file) line \(line): expected \(k) probabilities in [0, 1], got '\(fields.joined(separator: ","))'")
            }
            values += row
        }
        return try PredictedProbabilities(values: values, classes: k)
    }

    private static func rows(_ file: String) throws -> [(line: Int, fields: [String])] {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw CurationError.invalidInput("\(file): cannot read the file") }
        var rows: [(Int, [String])] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty else { continue }
            let fields = trimmed.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            if rows.isEmpty && number == 0 && fields.contains(where: { Double($0) == nil }) { continue }
            rows.append((number + 1, fields))
        }
        return rows
    }
}
