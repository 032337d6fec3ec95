import Datasets
import Foundation

/// A human review as a CSV file: one row per flagged sample, most likely mislabelled first, with
/// a PNG of the image beside it. A person fills in `corrected_label` (a class name; empty means
/// "not reviewed") and `flywheel data apply-review` brings the corrections back.
///
/// Columns: `id` (sample index in the dataset), `image` (PNG path, relative to the CSV),
/// `given_label`, `suggested_label`, `confidence` (predicted probability of the suggestion),
/// `corrected_label`; a review from a sheet that hid the suggestion on a random half of its rows
/// (`flywheel data review-sheet --blind-half`) adds `suggestion_shown` (`yes` or `no`).
public enum ReviewFile {
    public static let columns = ["id", "image", "given_label", "suggested_label", "confidence", "corrected_label"]
    /// The column a blind-half sheet adds: whether the reviewer saw the model's suggestion.
    public static let shownColumn = "suggestion_shown"

    /// One row of a filled-in review, checked against its dataset.
    public struct Row: Sendable, Equatable {
        public let sample: Int
        /// The image column as written (a path relative to the CSV, or empty).
        public let image: String
        public let suggested: Int32
        /// The model's probability of its suggestion.
        public let confidence: Double
        /// The class the reviewer picked; nil where the row was not reviewed.
        public let corrected: Int32?
        /// Whether the reviewer saw the suggestion; nil in a review without `suggestion_shown`.
        public let suggestionShown: Bool?
    }

    /// One row of a review to write.
    public struct Item: Sendable, Equatable {
        public var sample: Int
        public var suggested: Int
        public var confidence: Double
        public init(sample: Int, suggested: Int, confidence: Double) { self.sample = sample; self.suggested = suggested; self.confidence = confidence }
    }

    /// Writes the review CSV and, when `images` is given, the samples' images into
    /// `<name>-images/` beside it (the `image` column stays empty otherwise).
    /// - Parameters: `given` is each sample's current label, `classNames` names every class index.
    public static func write(_ items: [Item], given: (Int) -> Int, classNames: [String], images: Dataset?, to path: String) throws {
        let folderName = ((path as NSString).lastPathComponent as NSString).deletingPathExtension + "-images"
        let folder = ((path as NSString).deletingLastPathComponent as NSString).appendingPathComponent(folderName)
        if images != nil { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        var text = columns.joined(separator: ",") + "\n"
        for item in items {
            var image = ""
            if let images {
                guard let png = images.image(at: item.sample).encodedPNG() else { throw CurationError.invalidInput("could not encode sample \(item.sample) as PNG") }
                try Data(png).write(to: URL(fileURLWithPath: folder + "/\(item.sample).png"))
                image = "\(folderName)/\(item.sample).png"
            }
            text += [String(item.sample), image, classNames[given(item.sample)], classNames[item.suggested],
                     String(format: "%.4f", item.confidence), ""].map(CSVTable.escaped).joined(separator: ",") + "\n"
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    /// Writes the review of samples of `data`, with their images.
    public static func write(_ items: [Item], of data: Dataset, to path: String) throws {
        try write(items, given: { Int(data.delivered[$0]) }, classNames: data.classNames, images: data, to: path)
    }

    /// The corrections of a filled-in review: sample → corrected class.
    /// - Throws: `CurationError.invalidReview` naming the line of the first problem (see `rows`).
    public static func corrections(in path: String, for data: Dataset) throws -> [Int: Int32] {
        Dictionary(uniqueKeysWithValues: try rows(in: path, for: data).compactMap { row in row.corrected.map { (row.sample, $0) } })
    }

    /// Every row of a filled-in review.
    /// - Throws: `CurationError.invalidReview` naming the line of the first problem: wrong
    ///   columns, an id that is not a sample, a duplicate id, an unknown class, a given label
    ///   that does not match the dataset (a review made for another version of it), a
    ///   confidence that is not a probability, or a `suggestion_shown` other than yes or no.
    public static func rows(in path: String, for data: Dataset) throws -> [Row] {
        let table: CSVTable
        do { table = try CSVTable(contentsOf: path) } catch { throw CurationError.invalidReview(file: path, line: 1, reason: "\(error)") }
        guard table.header == columns || table.header == columns + [shownColumn] else {
            throw CurationError.invalidReview(file: path, line: 1, reason: "expected the columns \(columns.joined(separator: ",")) (and \(shownColumn) from a blind-half sheet), got \(visible(table.header.joined(separator: ",")))")
        }
        let classIndex = Dictionary(uniqueKeysWithValues: data.classNames.enumerated().map { ($1, Int32($0)) })
        var rows: [Row] = [], seen = Set<Int>()
        for (line, fields) in table.rows {
            let problem = { (reason: String) in CurationError.invalidReview(file: path, line: line, reason: reason) }
            guard let id = Int(fields[0]), id >= 0, id < data.count else { throw problem("unknown id '\(fields[0])'; expected a sample index in 0..<\(data.count)") }
            guard seen.insert(id).inserted else { throw problem("id \(id) appears more than once") }
            guard classIndex[fields[2]] == data.delivered[id] else {
                throw problem("given_label '\(fields[2])' of id \(id) does not match the dataset's label '\(data.classNames[Int(data.delivered[id])])'; was the review made for another dataset?")
            }
            guard let suggested = classIndex[fields[3]] else {
                throw problem("unknown class '\(fields[3])' in suggested_label; expected one of \(data.classNames.joined(separator: ", "))")
            }
            guard let confidence = Double(fields[4]), (0...1).contains(confidence) else {
                throw problem("confidence '\(fields[4])' of id \(id); expected a probability in [0, 1]")
            }
            var corrected: Int32?
            if !fields[5].isEmpty {
                guard let label = classIndex[fields[5]] else {
                    throw problem("unknown class '\(fields[5])' in corrected_label; expected one of \(data.classNames.joined(separator: ", "))")
                }
                corrected = label
            }
            var shown: Bool?
            if fields.count > columns.count {
                guard ["yes", "no"].contains(fields[6]) else { throw problem("\(shownColumn) '\(fields[6])' of id \(id); expected yes or no") }
                shown = fields[6] == "yes"
            }
            rows.append(Row(sample: id, image: fields[1], suggested: suggested, confidence: confidence, corrected: corrected, suggestionShown: shown))
        }
        return rows
    }

    /// The dataset with a review's corrections applied; the labels as they were before stay in
    /// `labelsBeforeReview`. Returns the rows reviewed and the labels changed.
    public static func apply(_ path: String, to data: Dataset) throws -> (dataset: Dataset, reviewed: Int, changed: Int) {
        let corrections = try Self.corrections(in: path, for: data)
        var result = data
        if result.labelsBeforeReview == nil { result.labelsBeforeReview = data.delivered }
        var changed = 0
        for (id, label) in corrections where result.delivered[id] != label {
            result.delivered[id] = label
            changed += 1
        }
        result.record(step: "apply-review \((path as NSString).lastPathComponent): reviewed=\(corrections.count) changed=\(changed)")
        return (result, corrections.count, changed)
    }
}
