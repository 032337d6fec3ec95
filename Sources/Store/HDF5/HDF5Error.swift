@preconcurrency import CHDF5

/// A failed HDF5 operation: what was attempted, on which file and object, and HDF5's own messages.
public struct HDF5Error: Error, CustomStringConvertible, Equatable {
    /// The file the operation concerned.
    public let file: String
    /// The object path inside the file ("/" for the file itself).
    public let object: String
    /// What Flywheel was doing ("create dataset", "read attribute", …) or a schema complaint.
    public let operation: String
    /// HDF5's error stack, innermost first (empty for checks Flywheel makes itself).
    public let library: String
    /// The system error of a failed write to disk (`ENOSPC`, `EDQUOT`, `EROFS`, `EACCES`, `EIO`, …), nil otherwise.
    public let errno: Int32?

    public init(file: String, object: String, operation: String, library: String = "", errno: Int32? = nil) {
        self.file = file; self.object = object; self.operation = operation; self.library = library; self.errno = errno
    }

    /// Whether the disk or the folder refused a write: the run cannot go on until space is freed or permissions change.
    public var isWriteFailure: Bool { errno != nil }

    public var description: String {
        "\(file): \(object): \(operation)" + (library.isEmpty ? "" : " (HDF5: \(library))")
    }
}

/// Library-wide setup. HDF5's automatic printing of errors to stderr is a per-thread setting in
/// thread-safe builds, so it is switched off on every thread that opens a file or a group;
/// every failure is reported through `HDF5Error` instead.
enum HDF5Library {
    static func prepare() {
        H5Eset_auto2(fw_h5e_default(), nil, nil)
    }

    /// HDF5's messages for the failure just seen on this thread.
    static func lastErrorMessages() -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        fw_h5_error_messages(&buffer)
        return String(cBuffer: buffer)
    }

    /// Identifiers open anywhere in the process (files, groups, datasets, types, attributes).
    public static var openObjectCount: Int { Int(fw_h5_open_object_count()) }
}

/// Throws `HDF5Error` when an HDF5 call returned a negative status or identifier.
@discardableResult
func check<T: BinaryInteger>(_ result: T, _ file: String, _ object: String, _ operation: @autoclosure () -> String) throws -> T {
    if result < 0 { throw HDF5Error(file: file, object: object, operation: operation(), library: HDF5Library.lastErrorMessages()) }
    return result
}
