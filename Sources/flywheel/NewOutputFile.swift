import Foundation

/// An output file a command is about to write already exists: the command stops before
/// touching it (nothing on disk is overwritten), exiting with status 2.
struct OutputExists: BadInput, CustomStringConvertible {
    let path: String
    var description: String { "\(path) already exists; choose another --out or remove it first" }
}

/// Checks that `path`, where a command will write, does not exist yet.
/// - Throws: `OutputExists` naming the file.
func requireNewOutputFile(_ path: String) throws {
    guard !FileManager.default.fileExists(atPath: path) else { throw OutputExists(path: path) }
}
