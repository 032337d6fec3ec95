#if canImport(Glibc)
import Glibc
#endif

/// A regular file open for reading in sequence, closed when released: what the CSV and NumPy
/// readers stream through instead of loading a whole file.
final class ReadableFile {
    let path: String
    /// Its size in bytes.
    let size: Int
    private let descriptor: Int32

    /// - Throws: `DatasetError.invalid` naming the file when it cannot be opened or is not a regular file.
    init(_ path: String) throws {
        self.path = path
        descriptor = open(path, O_RDONLY)
        var status = stat()
        guard descriptor >= 0, fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else {
            if descriptor >= 0 { close(descriptor) }
            throw DatasetError.invalid("\(path): cannot read the file")
        }
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    /// Reads up to `count` bytes into `buffer`; returns how many (0 at the end of the file).
    /// - Throws: `DatasetError.invalid` naming the file when the system call fails.
    func read(into buffer: UnsafeMutablePointer<UInt8>, count: Int) throws -> Int {
        let got = Glibc.read(descriptor, buffer, count)
        guard got >= 0 else { throw DatasetError.invalid("\(path): cannot read the file: \(String(cString: strerror(errno)))") }
        return got
    }

    /// The next `count` bytes, or fewer at the end of the file.
    func read(_ count: Int) throws -> [UInt8] {
        var failure: Error?
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { buffer, filled in
            filled = 0
            do {
                while filled < count {
                    let got = try read(into: buffer.baseAddress! + filled, count: count - filled)
                    guard got > 0 else { return }
                    filled += got
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        return bytes
    }
}
