#if canImport(Glibc)
import Glibc
#endif

/// One trial per HDF5 file, written so that a crash at any moment leaves either the complete
/// file or no file: the record goes to a temporary name in the same folder, is flushed, closed
/// and fsync'ed, then renamed into place (and the folder fsync'ed).
public enum TrialFile {
    /// The file name of a trial: `<trial-id>.h5`.
    public static func fileName(for trialID: String) -> String { "\(trialID).h5" }

    /// Marks temporary files: `.<trial-id>.h5.tmp-<pid>`.
    static let temporaryMarker = ".h5.tmp-"

    /// Writes `record` atomically into `directory` and returns the final path.
    /// - Throws: `HDF5Error` (nothing is left behind under the final name).
    @discardableResult
    public static func write(_ record: TrialRecord, to directory: String) throws -> String {
        let finalPath = directory + "/" + fileName(for: record.trialID)
        let temporaryPath = directory + "/." + record.trialID + temporaryMarker + String(getpid())
        try HDF5File.writeAtomically(to: finalPath, temporary: temporaryPath) { try record.write(to: $0) }
        return finalPath
    }

    /// Reads and verifies the trial file at `path`.
    /// - Throws: `HDF5Error` naming the file for a missing, truncated, foreign or newer-schema file.
    public static func read(_ path: String, includeWeights: Bool = true) throws -> TrialRecord {
        let file = try HDF5File.open(path)
        defer { try? file.close() }
        return try TrialRecord.read(from: try file.root, includeWeights: includeWeights)
    }
}
