@preconcurrency import CHDF5

/// A group inside an HDF5 file: child groups, datasets and attributes.
public final class HDF5Group {
    public let file: HDF5File
    /// Absolute path of the group inside the file.
    public let path: String
    let id: hid_t

    init(file: HDF5File, parent: hid_t, name: String, path: String) throws {
        HDF5Library.prepare()
        self.file = file
        self.path = path
        id = try check(H5Gopen2(parent, name, fw_h5p_default()), file.path, path, "open group")
    }

    private init(creatingIn parent: HDF5Group, name: String) throws {
        HDF5Library.prepare()
        file = parent.file
        path = parent.childPath(name)
        let gcpl = H5Pcreate(fw_h5p_group_create())
        defer { H5Pclose(gcpl) }
        H5Pset_obj_track_times(gcpl, false)
        id = try check(H5Gcreate2(parent.id, name, fw_h5p_default(), gcpl, fw_h5p_default()), file.path, path, "create group")
    }

    deinit { H5Gclose(id) }

    func childPath(_ name: String) -> String { path == "/" ? "/" + name : path + "/" + name }

    /// Creates the child group `name`.
    public func createGroup(_ name: String) throws -> HDF5Group { try HDF5Group(creatingIn: self, name: name) }

    /// Opens the child group `name`.
    /// - Throws: `HDF5Error` naming the missing path.
    public func group(_ name: String) throws -> HDF5Group {
        guard contains(name) else { throw HDF5Error(file: file.path, object: childPath(name), operation: "no such group") }
        return try HDF5Group(file: file, parent: id, name: name, path: childPath(name))
    }

    /// Whether a child link (group or dataset) called `name` exists.
    public func contains(_ name: String) -> Bool {
        let found = H5Lexists(id, name, fw_h5p_default()) > 0
        if !found { _ = HDF5Library.lastErrorMessages() }
        return found
    }

    /// Names of the children, in name order.
    public func childNames() throws -> [String] {
        var info = H5G_info_t()
        try check(H5Gget_info(id, &info), file.path, path, "list group")
        return try (0..<info.nlinks).map { index in
            try readName("read link name") { H5Lget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, $0, $1, fw_h5p_default()) }
        }
    }

    /// A name HDF5 hands out in two calls: `call(nil, 0)` returns its length, `call(buffer, size)` fills it.
    func readName(_ operation: String, _ call: (UnsafeMutablePointer<CChar>?, Int) -> Int) throws -> String {
        let length = try check(call(nil, 0), file.path, path, operation)
        var buffer = [CChar](repeating: 0, count: length + 1)
        try check(buffer.withUnsafeMutableBufferPointer { call($0.baseAddress, $0.count) }, file.path, path, operation)
        return String(cBuffer: buffer)
    }

    /// Whether the child `name` is a group (as opposed to a dataset).
    public func isGroup(_ name: String) throws -> Bool {
        var info = H5O_info_t()
        try check(H5Oget_info_by_name2(id, name, &info, UInt32(H5O_INFO_BASIC), fw_h5p_default()), file.path, childPath(name), "inspect object")
        return info.type == H5O_TYPE_GROUP
    }
}
