import Datasets
import Foundation

/// A human review as a CSV file: one row per flagged sample, most likely mislabelled first, with
/// a PNG of the image beside it. A person fills in `corrected_label` (a class name; empty means
/// "not reviewed") and `flywheel data apply-review` brings the corrections back.
///
/// Columns: `id` (sample index in the dataset), `image` (PNG path, relative to the CSV),
/// `given_label`, `suggested_label`, `confidence` (predicted probability of the suggestion),
/// `corrected_label`.
public enum ReviewFile {
    public static let columns = ["id", "image", "given_label", "suggested_label", "confidence", "corrected_label"]

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
    /// - Throws: `CurationError.invalidReview` naming the line of the first problem: wrong
    ///   columns, an id that is not a sample, a duplicate id, an unknown class, or a given label
    ///   that does not match the dataset (a review made for another version of it).
    public static func corrections(in path: String, for data: Dataset) throws -> [Int: Int32] {
        let table: CSVTable
        do { table = try CSVTable(contentsOf: path) } catch { throw CurationError.invalidReview(file: path, line: 1, reason: "\(error)") }
        guard table.header == columns else {
            throw CurationError.invalidReview(file: path, line: 1, reason: "expected the columns \(columns.joined(separator: ",")), got \(visible(table.header.joined(separator: ",")))")
        }
        let classIndex = Dictionary(uniqueKeysWithValues: data.classNames.enumerated().map { ($1, Int32($0)) })
        var corrections: [Int: Int32] = [:], seen = Set<Int>()
        for (line, fields) in table.rows {
            guard let id = Int(fields[0]), id >= 0, id < data.count else {
                throw CurationError.invalidReview(file: path, line: line, reason: "unknown id '\(fields[0])'; expected a sample index in 0..<\(data.count)")
            }
            guard seen.insert(id).inserted else { throw CurationError.invalidReview(file: path, line: line, reason: "id \(id) appears more than once") }
            guard classIndex[fields[2]] == data.delivered[id] else {
                throw CurationError.invalidReview(file: path, line: line, reason: "given_label '\(fields[2])' of id \(id) does not match the dataset's label '\(data.classNames[Int(data.delivered[id])])'; was the review made for another dataset?")
            }
            let corrected = fields[5]
            guard !corrected.isEmpty else { continue }
            guard let label = classIndex[corrected] else {
                throw CurationError.invalidReview(file: path, line: line, reason: "unknown class '\(corrected)' in corrected_label; expected one of \(data.classNames.joined(separator: ", "))")
            }
            corrections[id] = label
        }
        return corrections
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
