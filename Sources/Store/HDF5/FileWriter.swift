#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes bytes to a file so that a failure or a crash at any moment leaves either the complete
/// new file or what was at the path before: the bytes go to a temporary file in the same folder,
/// which is fsync'ed and closed, then renamed into place, and the folder fsync'ed. Every system
/// call is checked; a failure (disk full, quota, read-only or unwritable folder, I/O error)
/// removes the temporary file and throws an error naming the file and the cause.
enum FileWriter {
    /// Writes `bytes` to `path` by way of `temporary`.
    /// - Throws: `HDF5Error` naming `path` and the failed call with its `strerror` (`FileWriteFailure` carries the errno).
    static func write(_ bytes: [UInt8], to path: String, temporary: String) throws {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure(path, "create \(temporary)") }
        do {
            try writeAll(bytes, to: descriptor, path: path)
            guard fsync(descriptor) == 0 else { throw failure(path, "fsync") }
            let closed = close(descriptor)
            guard closed == 0 else { throw failure(path, "close") }
        } catch {
            _ = close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path, "rename from \(temporary)")
            unlink(temporary)
            throw error
        }
        try syncFolder(of: path)
    }

    /// Writes every byte, retrying short writes and interrupted calls.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                if let injected = FaultInjection.nextWriteFails() {
                    errno = injected
                    throw failure(path, "write")
                }
                let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                guard written > 0 else { throw failure(path, "write") }
                offset += written
            }
        }
    }

    private static func syncFolder(of path: String) throws {
        let folder = HDF5File.folder(of: path)
        let descriptor = open(folder, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(folder, "open folder for fsync") }
        defer { close(descriptor) }
        // Some filesystems refuse fsync on a folder (EINVAL); the rename is done, nothing is lost.
        guard fsync(descriptor) == 0 || errno == EINVAL else { throw failure(folder, "fsync folder") }
    }

    /// An error naming `path`, the call and the cause, from the current `errno`.
    private static func failure(_ path: String, _ call: String) -> HDF5Error {
        let code = errno
        return HDF5Error(file: path, object: "/", operation: "\(call): \(String(cString: strerror(code))) (errno \(code))", errno: code)
    }
}

/// A seam for the fault-injection tests: with `FLYWHEEL_FAIL_WRITE=K` (or `K:ERRNO`) in the
/// environment, the K-th write of a file's bytes in this process fails as the disk would
/// (`ENOSPC` unless another errno is named). Unset, it never fires.
enum FaultInjection {
    private static let plan: (index: Int, code: Int32)? = {
        guard let text = getenv("FLYWHEEL_FAIL_WRITE").map({ String(cString: $0) }) else { return nil }
        let parts = text.split(separator: ":")
        guard let index = parts.first.flatMap({ Int($0) }), index >= 1 else { return nil }
        return (index, parts.count > 1 ? Int32(parts[1]) ?? ENOSPC : ENOSPC)
    }()
    private static let counter = WriteCounter()

    /// The errno the next write fails with, or nil.
    static func nextWriteFails() -> Int32? {
        guard let plan else { return nil }
        return counter.next() == plan.index ? plan.code : nil
    }
}

/// Counts writes across threads.
private final class WriteCounter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func next() -> Int { lock.withLock { count += 1; return count } }
}
