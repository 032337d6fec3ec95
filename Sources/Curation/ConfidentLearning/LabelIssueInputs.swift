import Datasets
import Foundation

/// Labels and predicted probabilities from CSV files written by any model or framework, for
/// `flywheel label-issues --labels --pred-probs`.
public enum LabelIssueInputs {
    /// A labels file and a probabilities file that belong together: as many labels as rows, each
    /// label a column of the probabilities.
    /// - Throws: `CurationError.invalidInput` naming both files when the counts differ, and the
    ///   labels file and line of a label with no column; or what `labels(from:)` and
    ///   `probabilities(from:)` throw.
    public static func read(labels labelsFile: String, probabilities probabilitiesFile: String) throws -> (labels: [Int], probabilities: PredictedProbabilities) {
        let labelRows = try labelRows(labelsFile)
        let probabilities = try probabilities(from: probabilitiesFile)
        guard labelRows.count == probabilities.count else {
            throw CurationError.invalidInput("\(labelsFile) has \(labelRows.count) labels but \(probabilitiesFile) has \(probabilities.count) rows of "
                                             + "probabilities; expected one row per label, in the same order")
        }
        if let bad = labelRows.first(where: { $0.label >= probabilities.classes }) {
            throw CurationError.invalidInput("\(labelsFile) line \(bad.line): class \(bad.label), but \(probabilitiesFile) has \(probabilities.classes) columns "
                                             + "(classes 0–\(probabilities.classes - 1))")
        }
        return (labelRows.map(\.label), probabilities)
    }

    /// One integer label per line (a first line that is not an integer is a header), with its line.
    /// - Throws: `CurationError.invalidInput` naming the file and line of a bad value.
    private static func labelRows(_ file: String) throws -> [(line: Int, label: Int)] {
        try rows(file).map { line, fields in
            guard fields.count == 1, let label = Int(fields[0]), label >= 0 else {
                throw CurationError.invalidInput("\(file) line \(line): expected one class index ≥ 0, got '\(fields.joined(separator: ","))'")
            }
            return (line, label)
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
