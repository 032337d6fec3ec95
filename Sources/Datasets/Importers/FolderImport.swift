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

    /// Imports a class-per-folder tree (`root/<class>/*.bmp|png|jpg|jpeg|pgm|ppm|tif`, the images
    /// directly in the class folder or in subfolders of it at any depth), as most public defect sets
    /// ship, or one with split folders above the class folders (`root/train/<class>/…`,
    /// `root/test/…`), as many benchmark sets ship, keeping their splits. Class names are the class
    /// folders' names (over all splits), sorted; files at the root are ignored, and so are files and
    /// folders matching `options.exclude` (listed in the result).
    /// - Throws: `DatasetError.invalid` naming the folder or file: no class folders, an empty
    ///   class folder, a folder that is not a split in a split layout, two image files of one folder
    ///   that differ only in their extension (masks beside images), an unsupported or unreadable
    ///   image (unless `options.skipBad`).
    public static func importFolder(_ root: String, layout: FolderLayout = .auto, options: ImportOptions = ImportOptions(),
                                    progress: (Int, Int) -> Void = { _, _ in }) throws -> ImportResult {
        guard ClassFolderFiles.isFolder(root) else { throw DatasetError.invalid("\(root): not a folder") }
        let walk = ClassFolderFiles(exclude: options.exclude, root: root)
        var excluded: [String] = []
        let top = try subfolders(of: root, walk, excluded: &excluded)
        let splitNamed = top.filter { Split(name: $0) != nil }
        if layout == .auto, !splitNamed.isEmpty, let odd = top.first(where: { Split(name: $0) == nil }) {
            throw DatasetError.invalid("\(root)/\(odd): not a split folder, beside the split folders \(splitNamed.joined(separator: ", ")); "
                                       + "a split layout has only train, val (or validation), test and pool (leave it out with --exclude \(odd), "
                                       + "or use --layout classes)")
        }
        let splitLayout = layout == .splits || (layout == .auto && !splitNamed.isEmpty)
        var entries: [(entry: ImageEntry, className: String)] = []
        if splitLayout {
            for name in top {
                guard let split = Split(name: name) else {
                    throw DatasetError.invalid("\(root)/\(name): not a split folder; a split layout has only train, val (or validation), test and pool")
                }
                entries += try classEntries(in: root + "/" + name, split: split, walk, options: options, excluded: &excluded)
            }
            guard !entries.isEmpty else { throw DatasetError.invalid("\(root): no split folders (expected root/<split>/<class>/<image>)") }
        } else {
            entries = try classEntries(in: root, split: nil, walk, options: options, excluded: &excluded)
        }
        var result = try importNamed(entries, root: root, options: options, progress: progress)
        result.excluded = excluded
        return result
    }

    /// Numbers the class names of `entries` (sorted) and imports them.
    private static func importNamed(_ named: [(entry: ImageEntry, className: String)], root: String, options: ImportOptions,
                                      progress: (Int, Int) -> Void) throws -> ImportResult {
        let classNames = Set(named.map(\.className)).sorted()
        let index = Dictionary(uniqueKeysWithValues: classNames.enumerated().map { ($1, $0) })
        let entries = named.map { ImageEntry(path: $0.entry.path, label: index[$0.className]!, annotator: -1, split: $0.entry.split) }
        return try ImageImporter.importEntries(entries, classNames: classNames, source: "folder:\(root)", options: options, progress: progress)
    }

    /// The images under each `folder/<class>/`, each with its class folder's name.
    private static func classEntries(in folder: String, split: Split?, _ walk: ClassFolderFiles, options: ImportOptions,
                                     excluded: inout [String]) throws -> [(entry: ImageEntry, className: String)] {
        let classNames = try subfolders(of: folder, walk, excluded: &excluded)
        guard !classNames.isEmpty else { throw DatasetError.invalid("\(folder): no class folders (expected \(folder)/<class>/<image>)") }
        return try classNames.flatMap { name -> [(entry: ImageEntry, className: String)] in
            let classFolder = folder + "/" + name
            let files = try walk.files(in: classFolder)
            excluded += files.excluded
            guard !files.kept.isEmpty else {
                throw DatasetError.invalid("\(classFolder): class folder is empty"
                                           + (files.excluded.isEmpty ? "" : " (\(files.excluded.count) files and folders in it left out by --exclude)"))
            }
            if !options.skipBad, let other = files.kept.first(where: { !DecodedImage.extensions.contains(($0 as NSString).pathExtension.lowercased()) }) {
                let ext = (other as NSString).pathExtension
                throw DatasetError.invalid("\(other): unsupported image format '.\(ext)'; expected one of " + DecodedImage.extensions.sorted().joined(separator: ", ")
                                           + "; leave such files out with --exclude '" + (ext.isEmpty ? (other as NSString).lastPathComponent : "*." + ext) + "'")
            }
            return files.kept.map { (ImageEntry(path: $0, label: -1, annotator: -1, split: split), name) }
        }
    }

    /// The visible subfolders of `folder` that no exclusion pattern matches, sorted; the excluded
    /// ones are added to `excluded`.
    private static func subfolders(of folder: String, _ walk: ClassFolderFiles, excluded: inout [String]) throws -> [String] {
        let folders = try FileManager.default.contentsOfDirectory(atPath: folder)
            .filter { !$0.hasPrefix(".") && ClassFolderFiles.isFolder(folder + "/" + $0) }.sorted()
        excluded += folders.filter { walk.isExcluded(folder + "/" + $0) }.map { folder + "/" + $0 }
        return folders.filter { !walk.isExcluded(folder + "/" + $0) }
    }
}
