import Datasets
import Foundation
import Store

/// Labels and predicted probabilities from files written by any model or framework, for
/// `flywheel label-issues --labels --pred-probs`. The format follows the name: `.npy` (NumPy's
/// `np.save`), `FILE.h5:/dataset` (an HDF5 dataset), anything else CSV (one label, or one row of
/// K probabilities, per line; a first line that is not numbers is a header).
public enum LabelIssueInputs {
    /// How far a row of probabilities may sum from 1 (rounded CSV output, float32 softmax).
    public static let rowSumTolerance = 0.01

    /// A labels file and a probabilities file that belong together: as many labels as rows, each
    /// label a column of the probabilities, each row a distribution.
    /// - Throws: `CurationError.invalidInput` naming the file and the line or row of the first
    ///   problem (a value that is not a class index, not a probability, NaN, a row whose sum is
    ///   not 1, a shape that does not fit), and both files when their lengths differ.
    public static func read(labels labelsFile: String, probabilities probabilitiesFile: String) throws -> (labels: [Int], probabilities: PredictedProbabilities) {
        let labels = try readLabels(labelsFile)
        let probabilities = try readProbabilities(probabilitiesFile)
        guard labels.values.count == probabilities.count else {
            throw CurationError.invalidInput("\(labelsFile) has \(labels.values.count) labels but \(probabilitiesFile) has \(probabilities.count) rows of "
                                             + "probabilities; expected one row per label, in the same order")
        }
        if let bad = labels.values.firstIndex(where: { $0 >= probabilities.classes }) {
            throw CurationError.invalidInput("\(labelsFile) \(labels.places[bad]): class \(labels.values[bad]), but \(probabilitiesFile) has "
                                             + "\(probabilities.classes) columns (classes 0–\(probabilities.classes - 1))")
        }
        return (labels.values, probabilities)
    }

    /// Where each row of a file came from, for error messages: its CSV line, or for array files
    /// (lines nil) its 0-based row.
    private struct RowPlaces {
        var lines: [Int]?
        subscript(row: Int) -> String { lines.map { "line \($0[row])" } ?? "row \(row)" }
    }

    private static func readLabels(_ file: String) throws -> (values: [Int], places: RowPlaces) {
        let (values, shape, lines) = try numbers(file)
        guard shape.count == 1 || (shape.count == 2 && shape[1] == 1) else {
            throw CurationError.invalidInput("\(file): expected one label per row (shape (N,)), got shape \(shape)")
        }
        let labels = values.map { $0.isFinite && $0 == $0.rounded() && $0 >= 0 && $0 < 1e15 ? Int($0) : -1 }, places = RowPlaces(lines: lines)
        if let bad = labels.firstIndex(of: -1) {
            throw CurationError.invalidInput("\(file) \(places[bad]): expected a class index ≥ 0, got \(values[bad])")
        }
        return (labels, places)
    }

    private static func readProbabilities(_ file: String) throws -> PredictedProbabilities {
        let (values, shape, lines) = try numbers(file)
        guard shape.count == 2, shape[1] >= 2 else {
            throw CurationError.invalidInput("\(file): expected one row of K ≥ 2 class probabilities per sample (shape (N, K)), got shape \(shape)")
        }
        let k = shape[1], places = RowPlaces(lines: lines)
        for row in 0..<shape[0] {
            let entries = values[(row * k)..<(row * k + k)]
            if let bad = entries.first(where: { !($0 >= 0 && $0 <= 1) }) {
                throw CurationError.invalidInput("\(file) \(places[row]): \(bad) is not a probability in [0, 1]")
            }
            let sum = entries.reduce(0, +)
            guard abs(sum - 1) <= rowSumTolerance else {
                throw CurationError.invalidInput("\(file) \(places[row]): the probabilities sum to \(sum), not 1 (±\(rowSumTolerance)); "
                                                 + "expected one distribution over the classes per row (softmax outputs)")
            }
        }
        return try PredictedProbabilities(values: values, classes: k)
    }

    /// The numbers of `file` in row-major order with their shape, and for CSV the line of each row.
    private static func numbers(_ file: String) throws -> (values: [Double], shape: [Int], lines: [Int]?) {
        do {
            if file.hasSuffix(".npy") {
                let array = try NumpyFile(contentsOf: file)
                return (array.values, array.shape, nil)
            }
            if let (path, dataset) = hdf5Location(file) {
                let (values, shape) = try HDF5File.open(path).root.readNumbers(dataset)
                return (values, shape, nil)
            }
            let table = try CSVNumbers(contentsOf: file)
            return (table.values, [table.lines.count, table.columns], table.lines)
        } catch let error as DatasetError {
            throw CurationError.invalidInput(error.description)
        } catch let error as HDF5Error {
            throw CurationError.invalidInput(error.description)
        }
    }

    /// `FILE.h5:/path` split into the file and the dataset path.
    private static func hdf5Location(_ name: String) -> (String, String)? {
        for suffix in [".h5:", ".hdf5:"] {
            if let range = name.range(of: suffix) {
                return (String(name[..<range.upperBound].dropLast()), String(name[range.upperBound...].drop { $0 == "/" }))
            }
        }
        return nil
    }
}
