@preconcurrency import CHDF5
#if canImport(Glibc)
import Glibc
#endif

extension HDF5File {
    /// Writes an HDF5 file so that a failure or a crash at any moment leaves either the complete
    /// new file or what was at `path` before. `fill` writes into a file built in memory (HDF5's
    /// core driver, no backing store), so the library never touches the disk and a full disk
    /// cannot leave it holding a half-written file; its image is then written to `temporary` (in
    /// the same folder), fsync'ed and renamed to `path` by `FileWriter`, every call checked.
    /// - Throws: what `fill` throws, or `HDF5Error` naming the file (with the errno of a failed write).
    public static func writeAtomically(to path: String, temporary: String, _ fill: (HDF5Group) throws -> Void) throws {
        let file = try createInMemory(path)
        do {
            try fill(try file.root)
            let image = try file.image()
            try file.close()
            try FileWriter.write(image, to: path, temporary: temporary)
        } catch {
            try? file.close()
            throw error
        }
    }

    /// The folder holding `path` ("." for a bare file name).
    static func folder(of path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropLast()
        return parts.isEmpty ? "." : (parts.joined(separator: "/").isEmpty ? "/" : parts.joined(separator: "/"))
    }
}
