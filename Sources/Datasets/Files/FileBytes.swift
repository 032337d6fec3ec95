#if canImport(Glibc)
import Glibc
#endif

/// The whole contents of `file` read straight into one byte array with room for
/// `extraCapacity` more bytes (appending those does not copy), or nil when it cannot be opened or
/// read. No intermediate copy, so a large file costs its own size in memory once.
func readFileBytes(_ file: String, extraCapacity: Int = 0) -> [UInt8]? {
    let descriptor = open(file, O_RDONLY)
    guard descriptor >= 0 else { return nil }
    defer { close(descriptor) }
    var status = stat()
    guard fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
    let size = Int(status.st_size)
    var complete = true
    let bytes = [UInt8](unsafeUninitializedCapacity: size + extraCapacity) { buffer, count in
        count = 0
        while count < size {
            let got = read(descriptor, buffer.baseAddress! + count, size - count)
            guard got > 0 else { complete = false; return }
            count += got
        }
    }
    return complete ? bytes : nil
}
