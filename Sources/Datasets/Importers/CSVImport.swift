import Foundation

extension Dataset {
    /// Imports images listed in a label file (CSV, or separated by tabs, semicolons or spaces: see
    /// `LabelFileRecords`): rows `path,label[,annotator]`, or with a header row (or
    /// `options.labelColumns`) naming the columns, in any order: `path` and `label`, optionally `annotator` (an
    /// integer id or a name), `split` (train, val, test, pool: kept as given) and `confidence`
    /// (or `probability`: a graded label's confidence in [0, 1], stored per image and usable as a
    /// sample weight). Paths are relative to `imageRoot` (default: the CSV's folder).
    ///
    /// Several rows may name one image, one per annotator: the image is imported once, every
    /// annotation is stored, its delivered label is settled by `options.consensus` (majority or
    /// Dawid–Skene over the whole file), and its agreement (the share of its annotations that
    /// match the settled label) is stored. An image's confidence is the mean over its rows that
    /// gave the settled label. Class names are `classNames` when given (a label outside them is an
    /// error), else the sorted set of labels.
    /// - Throws: `DatasetError.invalid` naming the CSV and line: an unknown or missing column, too
    ///   few fields, a missing image file, an empty label, an unknown class or split, a confidence
    ///   outside [0, 1], an image repeated without an annotator column or by the same annotator,
    ///   one image given two splits.
    public static func importCSV(_ csvPath: String, imageRoot: String? = nil, classNames given: [String]? = nil,
                                 options: ImportOptions = ImportOptions(), progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        // A CSV named without a folder ("labels.csv") lies in the current one.
        let folder = (csvPath as NSString).deletingLastPathComponent
        let rows = try LabelRow.read(csvPath, imageRoot: imageRoot ?? (folder.isEmpty ? "." : folder), named: options.labelColumns)
        guard !rows.isEmpty else { throw DatasetError.invalid("\(csvPath): no rows") }
        let classNames = given ?? Set(rows.map(\.label)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        for row in rows where index[row.label] == nil {
            throw DatasetError.invalid("\(csvPath) line \(row.line): unknown class '\(row.label)'; expected one of \(classNames.joined(separator: ", "))")
        }
        let annotatorIDs = try AnnotatorIDs(rows.compactMap(\.annotator))
        let images = try ImageRows.grouping(rows, csvPath: csvPath)
        var entries = images.map { image in
            ImageEntry(path: image.path, label: index[image.rows[0].label]!,
                       annotator: image.rows.count == 1 ? Int32(image.rows[0].annotator.map(annotatorIDs.id) ?? -1) : -1, split: image.rows[0].split)
        }
        var provenance: [String: String] = [:]
        if images.contains(where: { $0.rows.count > 1 }) {
            let annotations = images.enumerated().flatMap { sample, image in
                image.rows.map { Annotation(sample: sample, annotator: annotatorIDs.id($0.annotator!), label: index[$0.label]!) }
            }
            let agreed = try options.consensus.consensus(annotations, samples: images.count, annotators: annotatorIDs.count, classes: classNames.count)
            for (i, image) in images.enumerated() {
                entries[i].label = agreed.labels[i]
                entries[i].annotations = image.rows.map { (annotatorIDs.id($0.annotator!), index[$0.label]!) }
                guard image.rows.count > 1 else { continue }
                entries[i].agreement = Float(image.rows.filter { index[$0.label] == agreed.labels[i] }.count) / Float(image.rows.count)
            }
            provenance["consensus"] = options.consensus.rawValue
            provenance["annotator_accuracy_estimated"] = agreed.annotatorAccuracy.enumerated()
                .map { "\(annotatorIDs.name($0)):" + String(format: "%.3f", $1) }.joined(separator: ",")
        }
        for (i, image) in images.enumerated() {
            let agreeing = image.rows.compactMap { index[$0.label] == entries[i].label ? $0.confidence : nil }
            if !agreeing.isEmpty { entries[i].confidence = agreeing.reduce(0, +) / Float(agreeing.count) }
        }
        if annotatorIDs.named { provenance["annotator_names"] = annotatorIDs.names.joined(separator: ",") }
        var result = try ImageImporter.importEntries(entries, classNames: classNames, source: "csv:\(csvPath)", options: options, progress: progress)
        result.dataset.provenance.merge(provenance) { _, new in new }
        return result
    }
}

/// One row of a CSV label file, checked.
struct LabelRow {
    let line: Int
    let path: String
    let label: String
    let annotator: String?
    let split: Split?
    let confidence: Float?

    /// The rows of `csvPath`, each checked on its own. `named` gives the columns (`-` for a column
    /// to leave out), in place of a header row if there is one; without it a header row names them, or the
    /// columns are path, label and an optional annotator. A file not separated by commas with more
    /// than two columns and no header must name them: its third column is as likely a property of
    /// the image (such as a cell type) as an annotator.
    static func read(_ csvPath: String, imageRoot root: String, named: [String]? = nil) throws -> [LabelRow] {
        var columns = ["path": 0, "label": 1, "annotator": 2]
        var expected = 2...3, shape = "path,label[,annotator]"
        if let named {
            columns = try headerColumns(named, source: "--columns")
            expected = named.count...named.count
            shape = named.joined(separator: ",")
        }
        var rows: [LabelRow] = []
        let (separator, records) = try LabelFileRecords.read(csvPath)
        for (index, (line, fields)) in records.enumerated() {
            let isHeader = fields.first?.lowercased().hasPrefix("path") == true || fields.contains { $0.lowercased() == "path" }
            if index == 0 && isHeader {
                guard named == nil else { continue }   // the names given replace the header's
                columns = try headerColumns(fields, source: "\(csvPath) line \(line)")
                expected = fields.count...fields.count
                shape = fields.joined(separator: ",")
                continue
            }
            if index == 0 && named == nil && separator != .comma && fields.count > 2 {
                throw DatasetError.invalid("\(csvPath) line \(line): \(fields.count) fields separated by \(separator.rawValue) and no header row naming them; "
                                           + "say what each column is with --columns, e.g. --columns path,label" + String(repeating: ",-", count: fields.count - 2)
                                           + " (path, label, annotator, split, confidence; - leaves a column out)")
            }
            guard expected.contains(fields.count) else {
                throw DatasetError.invalid("\(csvPath) line \(line): expected \(shape), got \(fields.count) fields")
            }
            rows.append(try LabelRow(fields, columns: columns, line: line, csvPath: csvPath, root: root))
        }
        return rows
    }

    private init(_ fields: [String], columns: [String: Int], line: Int, csvPath: String, root: String) throws {
        func field(_ name: String) -> String? { columns[name].flatMap { $0 < fields.count ? fields[$0].trimmingCharacters(in: .whitespaces) : nil } }
        let file = fields[columns["path"]!]
        path = file.hasPrefix("/") ? file : root + "/" + file
        guard FileManager.default.fileExists(atPath: path) else {
            throw DatasetError.invalid("\(csvPath) line \(line): image \(path) does not exist")
        }
        label = field("label")!
        guard !label.isEmpty else { throw DatasetError.invalid("\(csvPath) line \(line): the label is empty; every row needs one") }
        annotator = field("annotator")
        if annotator?.isEmpty == true { throw DatasetError.invalid("\(csvPath) line \(line): the annotator is empty") }
        if let name = field("split") {
            guard let s = Split(name: name) else {
                throw DatasetError.invalid("\(csvPath) line \(line): unknown split \(visible(name)); expected train, val, test or pool")
            }
            split = s
        } else { split = nil }
        if let text = field("confidence"), !text.isEmpty {
            guard let value = Float(text), (0...1).contains(value) else {
                throw DatasetError.invalid("\(csvPath) line \(line): confidence \(visible(text)) is not a number in [0, 1]")
            }
            confidence = value
        } else { confidence = nil }
        self.line = line
    }

    /// The columns a header row (or `--columns`) names: `path` and `label` required; `annotator`,
    /// `split` and `confidence` (or `probability`) optional; `-` a column left out. `source` says
    /// where the names came from, for errors ("labels.csv line 1", "--columns").
    private static func headerColumns(_ fields: [String], source: String) throws -> [String: Int] {
        let known = ["path", "label", "annotator", "split", "confidence"]
        var columns: [String: Int] = [:]
        for (i, field) in fields.enumerated() {
            var name = field.lowercased().trimmingCharacters(in: .whitespaces)
            if name == "-" { continue }
            if i == 0 && name.hasPrefix("path") { name = "path" }   // "path_to_image" and the like, as before
            if name == "probability" { name = "confidence" }
            guard known.contains(name), columns[name] == nil else {
                throw DatasetError.invalid("\(source): column \(visible(field)) is unknown or repeated; the columns are "
                                           + known.joined(separator: ", ") + " (or probability; path and label required; - leaves a column out)")
            }
            columns[name] = i
        }
        guard columns["path"] != nil, columns["label"] != nil else {
            throw DatasetError.invalid("\(source): the columns must include a path and a label")
        }
        return columns
    }
}

/// The rows of one image file, in the order the CSV lists them.
struct ImageRows {
    let path: String
    var rows: [LabelRow]

    /// The CSV's images in order of first mention, each with its rows.
    /// - Throws: `DatasetError.invalid` naming the lines of an image repeated without an
    ///   annotator, annotated twice by one annotator, or given two splits.
    static func grouping(_ rows: [LabelRow], csvPath: String) throws -> [ImageRows] {
        var images: [ImageRows] = [], position: [String: Int] = [:]
        for row in rows {
            guard let i = position[row.path] else {
                position[row.path] = images.count
                images.append(ImageRows(path: row.path, rows: [row]))
                continue
            }
            let first = images[i].rows[0]
            guard row.annotator != nil, first.annotator != nil else {
                throw DatasetError.invalid("\(csvPath) line \(row.line): \(row.path) is listed again (first on line \(first.line)); "
                                           + "several labels per image need an annotator column")
            }
            if let twice = images[i].rows.first(where: { $0.annotator == row.annotator }) {
                throw DatasetError.invalid("\(csvPath) line \(row.line): annotator \(row.annotator!) labels \(row.path) again "
                                           + "(first on line \(twice.line)); one row per image and annotator")
            }
            guard row.split == first.split else {
                throw DatasetError.invalid("\(csvPath) line \(row.line): \(row.path) is in split \(row.split.map(\.description) ?? "none") here "
                                           + "but \(first.split.map(\.description) ?? "none") on line \(first.line)")
            }
            images[i].rows.append(row)
        }
        return images
    }
}

/// Annotators as numbers: integer ids as given when every annotator is one, else the sorted
/// names numbered from 0.
struct AnnotatorIDs {
    let names: [String]
    /// Whether the annotators were given by name.
    let named: Bool
    private let ids: [String: Int]

    init(_ given: [String]) throws {
        let distinct = Set(given)
        let named = !distinct.allSatisfy { name in Int32(name).map { $0 >= 0 && String($0) == name } ?? false }
        let names = named ? distinct.sorted() : distinct.sorted { Int($0)! < Int($1)! }
        ids = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, named ? $0 : Int($1)!) })
        self.named = named; self.names = names
    }

    func id(_ name: String) -> Int { ids[name]! }
    /// How many ids the annotators span (the largest id + 1).
    var count: Int { (ids.values.max() ?? -1) + 1 }
    func name(_ id: Int) -> String { named ? names[id] : String(id) }
}
