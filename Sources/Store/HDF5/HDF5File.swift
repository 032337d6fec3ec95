@preconcurrency import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// An open HDF5 file. Closing is explicit (`close()`), and also happens when the last reference
/// goes; every object opened from the file is closed before the file itself.
public final class HDF5File {
    /// The path the file was opened with.
    public let path: String
    let id: hid_t
    private var isOpen = true

    private init(path: String, id: hid_t) {
        self.path = path
        self.id = id
    }

    /// Creates a file. Object modification times are not recorded, so writing the same content
    /// twice gives the same bytes.
    /// - Parameter overwrite: replace an existing file; otherwise an existing file is an error.
    public static func create(_ path: String, overwrite: Bool = false) throws -> HDF5File {
        HDF5Library.prepare()
        let fcpl = H5Pcreate(fw_h5p_file_create())
        defer { H5Pclose(fcpl) }
        H5Pset_obj_track_times(fcpl, false)
        let flags = overwrite ? fw_h5f_acc_trunc() : fw_h5f_acc_excl()
        let id = try check(H5Fcreate(path, flags, fcpl, fw_h5p_default()), path, "/", "create file")
        return HDF5File(path: path, id: id)
    }

    /// Creates a file that lives in memory only (HDF5's core driver without a backing store),
    /// named `name` in errors; `image()` gives its bytes. Object modification times are not recorded.
    static func createInMemory(_ name: String) throws -> HDF5File {
        HDF5Library.prepare()
        let fcpl = H5Pcreate(fw_h5p_file_create())
        defer { H5Pclose(fcpl) }
        H5Pset_obj_track_times(fcpl, false)
        let fapl = H5Pcreate(fw_h5p_file_access())
        defer { H5Pclose(fapl) }
        try check(H5Pset_fapl_core(fapl, 1 << 20, false), name, "/", "set the in-memory driver")
        let id = try check(H5Fcreate(name, fw_h5f_acc_trunc(), fcpl, fapl), name, "/", "create file in memory")
        return HDF5File(path: name, id: id)
    }

    /// The file's bytes as they would be on disk (after a flush).
    func image() throws -> [UInt8] {
        try flush()
        let size = try check(H5Fget_file_image(id, nil, 0), path, "/", "size the file image")
        var bytes = [UInt8](repeating: 0, count: Int(size))
        try bytes.withUnsafeMutableBytes { buffer in
            _ = try check(H5Fget_file_image(id, buffer.baseAddress, buffer.count), path, "/", "copy the file image")
        }
        return bytes
    }

    /// Opens an existing file, read-only unless `writable`.
    /// - Throws: `HDF5Error` naming the file when it is missing, truncated or not HDF5.
    public static func open(_ path: String, writable: Bool = false) throws -> HDF5File {
        HDF5Library.prepare()
        guard access(path, F_OK) == 0 else { throw HDF5Error(file: path, object: "/", operation: "open file: no such file") }
        guard H5Fis_hdf5(path) > 0 else {
            _ = HDF5Library.lastErrorMessages()
            throw HDF5Error(file: path, object: "/", operation: "open file: not an HDF5 file (or truncated)")
        }
        let flags = writable ? fw_h5f_acc_rdwr() : fw_h5f_acc_rdonly()
        let id = try check(H5Fopen(path, flags, fw_h5p_default()), path, "/", "open file")
        return HDF5File(path: path, id: id)
    }

    /// The root group "/".
    public var root: HDF5Group {
        get throws { try HDF5Group(file: self, parent: id, name: "/", path: "/") }
    }

    /// Writes every buffer to the operating system (not yet to the disk: see `fsync`).
    public func flush() throws {
        try check(H5Fflush(id, H5F_SCOPE_GLOBAL), path, "/", "flush")
    }

    /// Closes the file. Safe to call more than once.
    public func close() throws {
        guard isOpen else { return }
        isOpen = false
        try check(H5Fclose(id), path, "/", "close file")
    }

    deinit { if isOpen { H5Fclose(id) } }
}
