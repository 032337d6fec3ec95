import Foundation

extension Dataset {
    /// Imports a class-per-folder tree (`root/<class>/*.bmp|png|jpg|jpeg|pgm|ppm`), as most
    /// public defect sets ship. Class names are the folder names, sorted; files at the root are ignored.
    /// - Throws: `DatasetError.invalid` naming the folder or file: no class folders, an empty
    ///   class folder, an unsupported or unreadable image (unless `options.skipBad`).
    public static func importFolder(_ root: String, options: ImportOptions = ImportOptions(),
                                    progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DatasetError.invalid("\(root): not a folder")
        }
        let classNames = try fm.contentsOfDirectory(atPath: root).filter { name in
            var folder: ObjCBool = false
            return !name.hasPrefix(".") && fm.fileExists(atPath: root + "/" + name, isDirectory: &folder) && folder.boolValue
        }.sorted()
        guard !classNames.isEmpty else { throw DatasetError.invalid("\(root): no class folders (expected root/<class>/<image>)") }
        var entries: [ImageEntry] = []
        for (label, name) in classNames.enumerated() {
            let folder = root + "/" + name
            let files = try fm.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
            guard !files.isEmpty else { throw DatasetError.invalid("\(folder): class folder is empty") }
            entries += files.map { ImageEntry(path: folder + "/" + $0, label: label, annotator: -1) }
        }
        return try ImageImporter.importEntries(entries, classNames: classNames, source: "folder:\(root)", options: options, progress: progress)
    }

    /// Imports images listed in a CSV label file: rows `path,label[,annotator]` (a first row
    /// starting with `path` is a header); paths relative to `imageRoot` (default: the CSV's
    /// folder). Several rows may name one image (one sample each, for multi-annotator data).
    /// Class names are `classNames` when given (a label outside them is an error), else the
    /// sorted set of labels.
    /// - Throws: `DatasetError.invalid` naming the CSV and line: too few columns, a missing
    ///   image file, an unknown class, a non-integer annotator.
    public static func importCSV(_ csvPath: String, imageRoot: String? = nil, classNames given: [String]? = nil,
                                 options: ImportOptions = ImportOptions(), progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        // A CSV named without a folder ("labels.csv") lies in the current one.
        let root = imageRoot ?? ((csvPath as NSString).deletingLastPathComponent.isEmpty ? "." : (csvPath as NSString).deletingLastPathComponent)
        var rows: [(line: Int, path: String, label: String, annotator: Int32)] = []
        for (index, (line, fields)) in try CSVTable.records(of: csvPath).enumerated() {
            if index == 0 && fields.first?.lowercased().hasPrefix("path") == true { continue }
            guard fields.count == 2 || fields.count == 3 else {
                throw DatasetError.invalid("\(csvPath) line \(line): expected path,label[,annotator], got \(fields.count) fields")
            }
            var annotator: Int32 = -1
            if fields.count == 3 {
                guard let a = Int32(fields[2]), a >= 0 else {
                    throw DatasetError.invalid("\(csvPath) line \(line): annotator must be a non-negative integer, got \(visible(fields[2]))")
                }
                annotator = a
            }
            let path = fields[0].hasPrefix("/") ? fields[0] : root + "/" + fields[0]
            guard FileManager.default.fileExists(atPath: path) else {
                throw DatasetError.invalid("\(csvPath) line \(line): image \(path) does not exist")
            }
            rows.append((line, path, fields[1], annotator))
        }
        let classNames = given ?? Set(rows.map(\.label)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        let entries = try rows.map { row -> ImageEntry in
            guard let label = index[row.label] else {
                throw DatasetError.invalid("\(csvPath) line \(row.line): unknown class '\(row.label)'; expected one of \(classNames.joined(separator: ", "))")
            }
            return ImageEntry(path: row.path, label: label, annotator: row.annotator)
        }
        guard !entries.isEmpty else { throw DatasetError.invalid("\(csvPath): no rows") }
        return try ImageImporter.importEntries(entries, classNames: classNames, source: "csv:\(csvPath)", options: options, progress: progress)
    }
}
