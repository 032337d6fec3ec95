@preconcurrency import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Attributes: scalars, 1-D numeric arrays and UTF-8 strings attached to a group.
extension HDF5Group {
    /// Sets the scalar attribute `name` (replacing an existing one).
    public func setAttribute<T: HDF5Element>(_ name: String, _ value: T) throws {
        try setAttribute(name, [value], scalar: true)
    }

    /// Sets a 1-D numeric attribute.
    public func setAttribute<T: HDF5Element>(_ name: String, _ values: [T], scalar: Bool = false) throws {
        let object = "\(path)@\(name)"
        try removeAttributeIfPresent(name)
        var dims = [hsize_t(values.count)]
        let space = scalar ? H5Screate(H5S_SCALAR) : H5Screate_simple(1, &dims, nil)
        defer { H5Sclose(space) }
        let attribute = try check(H5Acreate2(id, name, T.hdf5Type, space, fw_h5p_default(), fw_h5p_default()), file.path, object, "create attribute")
        defer { H5Aclose(attribute) }
        _ = try values.withUnsafeBytes { bytes in
            try check(H5Awrite(attribute, T.hdf5Type, bytes.baseAddress), file.path, object, "write attribute")
        }
    }

    /// Sets a variable-length UTF-8 string attribute (h5py reads it as `str`).
    public func setAttribute(_ name: String, _ value: String) throws {
        let object = "\(path)@\(name)"
        try removeAttributeIfPresent(name)
        let type = makeStringType()
        defer { H5Tclose(type) }
        let space = H5Screate(H5S_SCALAR)
        defer { H5Sclose(space) }
        let attribute = try check(H5Acreate2(id, name, type, space, fw_h5p_default(), fw_h5p_default()), file.path, object, "create attribute")
        defer { H5Aclose(attribute) }
        _ = try withCStrings([value]) { pointers in
            try check(H5Awrite(attribute, type, pointers), file.path, object, "write attribute")
        }
    }

    /// Whether the attribute `name` exists.
    public func hasAttribute(_ name: String) -> Bool { H5Aexists(id, name) > 0 }

    /// Reads a numeric attribute (scalar or 1-D) as an array of `T`.
    public func attributeValues<T: HDF5Element>(_ name: String, as type: T.Type = T.self) throws -> [T] {
        let object = "\(path)@\(name)"
        let attribute = try openAttribute(name)
        defer { H5Aclose(attribute) }
        let fileType = H5Aget_type(attribute)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == T.hdf5Class else {
            throw HDF5Error(file: file.path, object: object, operation: "expected a \(T.self) attribute")
        }
        let space = H5Aget_space(attribute)
        defer { H5Sclose(space) }
        var values = [T](repeating: T.zero, count: Int(H5Sget_simple_extent_npoints(space)))
        _ = try values.withUnsafeMutableBytes { bytes in
            try check(H5Aread(attribute, T.hdf5Type, bytes.baseAddress), file.path, object, "read attribute")
        }
        return values
    }

    /// Reads a scalar numeric attribute.
    public func attribute<T: HDF5Element>(_ name: String, as type: T.Type = T.self) throws -> T {
        let values = try attributeValues(name, as: type)
        guard values.count == 1 else {
            throw HDF5Error(file: file.path, object: "\(path)@\(name)", operation: "expected one value, found \(values.count)")
        }
        return values[0]
    }

    /// Reads a string attribute (variable- or fixed-length).
    public func stringAttribute(_ name: String) throws -> String {
        let object = "\(path)@\(name)"
        let attribute = try openAttribute(name)
        defer { H5Aclose(attribute) }
        let fileType = H5Aget_type(attribute)
        defer { H5Tclose(fileType) }
        guard H5Tget_class(fileType) == H5T_STRING else {
            throw HDF5Error(file: file.path, object: object, operation: "expected a string attribute")
        }
        if H5Tis_variable_str(fileType) > 0 {
            let type = makeStringType()
            defer { H5Tclose(type) }
            var pointer: UnsafeMutablePointer<CChar>?
            try check(H5Aread(attribute, type, &pointer), file.path, object, "read attribute")
            defer { free(pointer) }
            return pointer.map { String(cString: $0) } ?? ""
        }
        let size = H5Tget_size(fileType)
        var buffer = [CChar](repeating: 0, count: size + 1)
        try check(H5Aread(attribute, fileType, &buffer), file.path, object, "read attribute")
        return String(cBuffer: buffer)
    }

    /// Names of every attribute, in name order.
    public func attributeNames() throws -> [String] {
        var info = H5O_info_t()
        try check(H5Oget_info2(id, &info, UInt32(H5O_INFO_NUM_ATTRS)), file.path, path, "count attributes")
        return try (0..<info.num_attrs).map { index in
            try readName("read attribute name") { H5Aget_name_by_idx(id, ".", H5_INDEX_NAME, H5_ITER_INC, index, $0, $1, fw_h5p_default()) }
        }
    }

    private func openAttribute(_ name: String) throws -> hid_t {
        guard hasAttribute(name) else { throw HDF5Error(file: file.path, object: "\(path)@\(name)", operation: "no such attribute") }
        return try check(H5Aopen(id, name, fw_h5p_default()), file.path, "\(path)@\(name)", "open attribute")
    }

    private func removeAttributeIfPresent(_ name: String) throws {
        if hasAttribute(name) { try check(H5Adelete(id, name), file.path, "\(path)@\(name)", "replace attribute") }
    }
}
