#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A folder of trial files (`results/NAME/trials/`).
public struct TrialDirectory {
    public let path: String

    public init(path: String) { self.path = path }

    /// What a scan found: verified records, files that failed verification (each error names its
    /// file), and leftover temporary files it removed.
    public struct Scan {
        /// One record per trial of the experiment (arm, variant, seed): where several files hold the
        /// same trial under different ids — planned from different resolved configs: an edited file,
        /// other overrides, or a default changed since — the one that finished last.
        public var records: [TrialRecord] = []
        /// The other files of such trials, kept on disk but not reported (a runner whose plan
        /// holds one of their ids still reuses it).
        public var superseded: [TrialRecord] = []
        public var problems: [HDF5Error] = []
        public var removedTemporaries: [String] = []

        /// Fails when the folder held trial files but none could be read: then there is nothing
        /// to report, and the files, not the run, are at fault.
        /// - Throws: `HDF5Error` naming the folder, how many files failed and the first failure.
        public func requireAReadableFileWhenAnyExists(in folder: String) throws {
            guard records.isEmpty, let first = problems.first else { return }
            throw HDF5Error(file: folder, object: "/", operation: "none of its \(problems.count) trial file(s) could be read; the first: \(first)")
        }

        /// The records, or an error that names the folder when it holds none.
        /// - Throws: `HDF5Error`: no trial files at all, or none readable.
        public func requireRecords(in folder: String) throws -> [TrialRecord] {
            try requireAReadableFileWhenAnyExists(in: folder)
            guard !records.isEmpty else { throw HDF5Error(file: folder, object: "/", operation: "holds no trial files (*.h5)") }
            return records
        }
    }

    /// Reads every `*.h5` trial file, sorted by name, and removes temporaries left by writers that
    /// are no longer running. A bad file is reported in `problems`, never skipped silently.
    public func scan(includeWeights: Bool = false) throws -> Scan {
        var scan = Scan()
        for name in try entries() {
            let full = path + "/" + name
            if let pid = Self.writerProcess(ofTemporary: name) {
                if kill(pid, 0) != 0 && errno == ESRCH { unlink(full); scan.removedTemporaries.append(full) }
            } else if name.hasSuffix(".h5") {
                do { scan.records.append(try TrialFile.read(full, includeWeights: includeWeights)) } catch let error as HDF5Error {
                    scan.problems.append(error)
                }
            }
        }
        let byTrial = Dictionary(grouping: scan.records) { [$0.experiment, $0.arm.rawValue, $0.variant, String($0.seed)] }
        let newest = Set(byTrial.values.map { $0.max { ($0.finishedAt, $0.trialID) < ($1.finishedAt, $1.trialID) }!.trialID })
        scan.superseded = scan.records.filter { !newest.contains($0.trialID) }
        scan.records = scan.records.filter { newest.contains($0.trialID) }
        return scan
    }

    /// The pid in a temporary file name `.<id>.h5.tmp-<pid>`, or nil for any other name.
    static func writerProcess(ofTemporary name: String) -> pid_t? {
        guard name.hasPrefix("."), let range = name.range(of: TrialFile.temporaryMarker) else { return nil }
        return pid_t(name[range.upperBound...])
    }

    private func entries() throws -> [String] {
        guard let directory = opendir(path) else {
            throw HDF5Error(file: path, object: "/", operation: "open results folder: \(String(cString: strerror(errno)))")
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(cString: $0.bindMemory(to: CChar.self).baseAddress!) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }
}
