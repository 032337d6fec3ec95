import Foundation

extension Dataset {
    /// How an image folder is laid out.
    public enum FolderLayout: String, Sendable, CaseIterable {
        /// `root/<class>/<image>`: the splits are drawn by the import's fractions.
        case classes
        /// `root/<split>/<class>/<image>` with split folders `train`, `val` (or `validation`),
        /// `test`, `pool`, any subset: the splits are kept as given.
        case splits
        /// `splits` when the root holds split-named folders (then it may hold no other folder), else `classes`.
        case auto
    }

    /// Imports a class-per-folder tree (`root/<class>/*.bmp|png|jpg|jpeg|pgm|ppm`), as most
    /// public defect sets ship, or one with split folders above the class folders
    /// (`root/train/<class>/…`, `root/test/…`), as many benchmark sets ship, keeping their splits.
    /// Class names are the class folders' names (over all splits), sorted; files at the root are ignored.
    /// - Throws: `DatasetError.invalid` naming the folder or file: no class folders, an empty
    ///   class folder, a folder that is not a split in a split layout, an unsupported or
    ///   unreadable image (unless `options.skipBad`).
    public static func importFolder(_ root: String, layout: FolderLayout = .auto, options: ImportOptions = ImportOptions(),
                                    progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        guard isFolder(root) else { throw DatasetError.invalid("\(root): not a folder") }
        let top = try subfolders(of: root)
        let splitNamed = top.filter { Split(name: $0) != nil }
        if layout == .auto, !splitNamed.isEmpty, let odd = top.first(where: { Split(name: $0) == nil }) {
            throw DatasetError.invalid("\(root)/\(odd): not a split folder, beside the split folders \(splitNamed.joined(separator: ", ")); "
                                       + "a split layout has only train, val (or validation), test and pool (or use --layout classes)")
        }
        let splitLayout = layout == .splits || (layout == .auto && !splitNamed.isEmpty)
        guard splitLayout else {
            return try importNamed(try classEntries(in: root, split: nil), root: root, options: options, progress: progress)
        }
        var entries: [(entry: ImageEntry, className: String)] = []
        for name in top {
            guard let split = Split(name: name) else {
                throw DatasetError.invalid("\(root)/\(name): not a split folder; a split layout has only train, val (or validation), test and pool")
            }
            entries += try classEntries(in: root + "/" + name, split: split)
        }
        guard !entries.isEmpty else { throw DatasetError.invalid("\(root): no split folders (expected root/<split>/<class>/<image>)") }
        return try importNamed(entries, root: root, options: options, progress: progress)
    }

    /// Numbers the class names of `entries` (sorted) and imports them.
    private static func importNamed(_ named: [(entry: ImageEntry, className: String)], root: String, options: ImportOptions,
                                      progress: (Int, Int) -> Void) throws -> ImportResult {
        let classNames = Set(named.map(\.className)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        let entries = named.map { ImageEntry(path: $0.entry.path, label: index[$0.className]!, annotator: -1, split: $0.entry.split) }
        return try ImageImporter.importEntries(entries, classNames: classNames, source: "folder:\(root)", options: options, progress: progress)
    }

    /// The images of `folder/<class>/…`, each with its class folder's name.
    private static func classEntries(in folder: String, split: Split?) throws -> [(entry: ImageEntry, className: String)] {
        let classNames = try subfolders(of: folder)
        guard !classNames.isEmpty else { throw DatasetError.invalid("\(folder): no class folders (expected \(folder)/<class>/<image>)") }
        return try classNames.flatMap { name -> [(entry: ImageEntry, className: String)] in
            let classFolder = folder + "/" + name
            let files = try FileManager.default.contentsOfDirectory(atPath: classFolder).filter { !$0.hasPrefix(".") }.sorted()
            guard !files.isEmpty else { throw DatasetError.invalid("\(classFolder): class folder is empty") }
            return files.map { (ImageEntry(path: classFolder + "/" + $0, label: -1, annotator: -1, split: split), name) }
        }
    }

    /// The columns a header row names: `path` and `label` required, `annotator` and `split` optional.
    private static func headerColumns(_ fields: [String], csvPath: String, line: Int) throws -> [String: Int] {
        let known = ["path", "label", "annotator", "split"]
        var columns: [String: Int] = [:]
        for (i, field) in fields.enumerated() {
            var name = field.lowercased().trimmingCharacters(in: .whitespaces)
            if i == 0 && name.hasPrefix("path") { name = "path" }   // "path_to_image" and the like, as before
            guard known.contains(name), columns[name] == nil else {
                throw DatasetError.invalid("\(csvPath) line \(line): column \(visible(field)) is unknown or repeated; the columns are "
                                           + known.joined(separator: ", ") + " (path and label required)")
            }
            columns[name] = i
        }
        guard columns["path"] != nil, columns["label"] != nil else {
            throw DatasetError.invalid("\(csvPath) line \(line): the header must name a path and a label column")
        }
        return columns
    }

    private static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// The visible subfolders of `folder`, sorted.
    private static func subfolders(of folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") && isFolder(folder + "/" + $0) }.sorted()
    }

    /// Imports images listed in a CSV label file: rows `path,label[,annotator]`, or with a header
    /// row naming the columns, in any order, `path`, `label` and optionally `annotator` and
    /// `split` (train, val, test, pool: kept as given, for every row). Paths relative to
    /// `imageRoot` (default: the CSV's folder). Several rows may name one image (one sample each,
    /// for multi-annotator data). Class names are `classNames` when given (a label outside them is
    /// an error), else the sorted set of labels.
    /// - Throws: `DatasetError.invalid` naming the CSV and line: an unknown or missing column, too
    ///   few fields, a missing image file, an unknown class or split, a non-integer annotator.
    public static func importCSV(_ csvPath: String, imageRoot: String? = nil, classNames given: [String]? = nil,
                                 options: ImportOptions = ImportOptions(), progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        // A CSV named without a folder ("labels.csv") lies in the current one.
        let root = imageRoot ?? ((csvPath as NSString).deletingLastPathComponent.isEmpty ? "." : (csvPath as NSString).deletingLastPathComponent)
        var rows: [(line: Int, path: String, label: String, annotator: Int32, split: Split?)] = []
        var columns = ["path": 0, "label": 1, "annotator": 2]
        var expected = 2...3, shape = "path,label[,annotator]"
        for (index, (line, fields)) in try CSVTable.records(of: csvPath).enumerated() {
            let isHeader = fields.first?.lowercased().hasPrefix("path") == true || fields.contains { $0.lowercased() == "path" }
            if index == 0 && isHeader {
                columns = try headerColumns(fields, csvPath: csvPath, line: line)
                expected = fields.count...fields.count
                shape = fields.joined(separator: ",")
                continue
            }
            guard expected.contains(fields.count) else {
                throw DatasetError.invalid("\(csvPath) line \(line): expected \(shape), got \(fields.count) fields")
            }
            var annotator: Int32 = -1
            if let column = columns["annotator"], column < fields.count {
                guard let a = Int32(fields[column]), a >= 0 else {
                    throw DatasetError.invalid("\(csvPath) line \(line): annotator must be a non-negative integer, got \(visible(fields[column]))")
                }
                annotator = a
            }
            var split: Split?
            if let column = columns["split"] {
                guard let s = Split(name: fields[column]) else {
                    throw DatasetError.invalid("\(csvPath) line \(line): unknown split \(visible(fields[column])); expected train, val, test or pool")
                }
                split = s
            }
            let file = fields[columns["path"]!]
            let path = file.hasPrefix("/") ? file : root + "/" + file
            guard FileManager.default.fileExists(atPath: path) else {
                throw DatasetError.invalid("\(csvPath) line \(line): image \(path) does not exist")
            }
            rows.append((line, path, fields[columns["label"]!], annotator, split))
        }
        let classNames = given ?? Set(rows.map(\.label)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        let entries = try rows.map { row -> ImageEntry in
            guard let label = index[row.label] else {
                throw DatasetError.invalid("\(csvPath) line \(row.line): unknown class '\(row.label)'; expected one of \(classNames.joined(separator: ", "))")
            }
            return ImageEntry(path: row.path, label: label, annotator: row.annotator, split: row.split)
        }
        guard !entries.isEmpty else { throw DatasetError.invalid("\(csvPath): no rows") }
        return try ImageImporter.importEntries(entries, classNames: classNames, source: "csv:\(csvPath)", options: options, progress: progress)
    }
}
