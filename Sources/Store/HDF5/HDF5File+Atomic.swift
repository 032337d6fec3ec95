#if canImport(Glibc)
import Glibc
#endif

extension HDF5File {
    /// Writes an HDF5 file so that a crash at any moment leaves either the complete new file or
    /// what was at `path` before: `fill` writes into a new file at `temporary` (in the same
    /// folder), which is flushed, closed and fsync'ed, then renamed to `path`, and the folder
    /// fsync'ed. On any error the temporary file is removed and `path` is untouched.
    /// - Throws: what `fill` throws, or `HDF5Error` naming the file for a failed write, fsync or rename.
    public static func writeAtomically(to path: String, temporary: String, _ fill: (HDF5Group) throws -> Void) throws {
        do {
            let file = try HDF5File.create(temporary, overwrite: true)
            try fill(try file.root)
            try file.flush()
            try file.close()
            try syncToDisk(temporary)
            guard rename(temporary, path) == 0 else {
                throw HDF5Error(file: path, object: "/", operation: "rename from \(temporary): \(String(cString: strerror(errno)))")
            }
            try syncToDisk(folder(of: path))
        } catch {
            unlink(temporary)
            throw error
        }
    }

    /// The folder holding `path` ("." for a bare file name).
    static func folder(of path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return parts.isEmpty ? "." : (parts.joined(separator: "/").isEmpty ? "/" : parts.joined(separator: "/"))
    }

    private static func syncToDisk(_ path: String) throws {
        let descriptor = Glibc.open(path, O_RDONLY)
        guard descriptor >= 0 else { throw HDF5Error(file: path, object: "/", operation: "open for fsync: \(String(cString: strerror(errno)))") }
        defer { Glibc.close(descriptor) }
        guard fsync(descriptor) == 0 else { throw HDF5Error(file: path, object: "/", operation: "fsync: \(String(cString: strerror(errno)))") }
    }
}
