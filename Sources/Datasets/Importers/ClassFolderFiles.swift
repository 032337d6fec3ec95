#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The image files of one class folder, as public sets ship them: directly in the folder or in
/// subfolders at any depth (`MT_Blowhole/Imgs/…`, as `torchvision.datasets.ImageFolder` reads
/// them), hidden files and folders skipped, files matching an exclusion pattern left out.
///
/// Two image files of one folder that differ only in their extension (`exp1_num_4727.jpg` beside
/// `exp1_num_4727.png`) are masks or second copies beside the images; importing both would put
/// each image in the set twice, once as its mask, so the walk stops with an error that names them
/// and says how to leave one kind out.
struct ClassFolderFiles {
    /// Glob patterns (`fnmatch`, `*` also crossing `/`), each matched against a file's path below
    /// the import root, its name, and the name of every folder between the root and it.
    let exclude: [String]
    /// The import root the patterns' paths are relative to.
    let root: String

    /// The files under `folder`, sorted by path (for a folder without subfolders, by name, as
    /// before subfolders were read), and the excluded ones.
    /// - Throws: `DatasetError.invalid` naming two image files of one folder that share a name.
    func files(in folder: String) throws -> (kept: [String], excluded: [String]) {
        var kept: [String] = [], excluded: [String] = []
        try walk(folder, into: &kept, excluded: &excluded)
        return (kept.sorted(), excluded)
    }

    private func walk(_ folder: String, into kept: inout [String], excluded: inout [String]) throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }.sorted()
        var files: [String] = []
        for name in names {
            let path = folder + "/" + name
            if isExcluded(path) { excluded.append(path); continue }
            if Self.isFolder(path) { try walk(path, into: &kept, excluded: &excluded) } else { files.append(name) }
        }
        try Self.requireDistinctNames(files, in: folder)
        kept += files.map { folder + "/" + $0 }
    }

    /// Whether a pattern matches `path` below the root, its name or one of its folders' names.
    func isExcluded(_ path: String) -> Bool {
        guard !exclude.isEmpty else { return false }
        let relative = path.hasPrefix(root + "/") ? String(path.dropFirst(root.count + 1)) : path
        let candidates = [relative] + relative.split(separator: "/").map(String.init)
        return exclude.contains { pattern in candidates.contains { fnmatch(pattern, $0, 0) == 0 } }
    }

    /// Image files whose names differ only in the extension stop the walk.
    private static func requireDistinctNames(_ files: [String], in folder: String) throws {
        var seen: [String: String] = [:]
        for file in files {
            let ext = (file as NSString).pathExtension.lowercased()
            guard DecodedImage.extensions.contains(ext) else { continue }
            let stem = (file as NSString).deletingPathExtension
            if let other = seen[stem] {
                throw DatasetError.invalid("\(folder)/\(other) and \(file) share a name: masks or second copies beside the images would "
                                           + "enter the set as images of their own; leave one kind out with --exclude '*.\((file as NSString).pathExtension)' "
                                           + "(or '*.\((other as NSString).pathExtension)', whichever are not the images)")
            }
            seen[stem] = file
        }
    }

    static func isFolder(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}
