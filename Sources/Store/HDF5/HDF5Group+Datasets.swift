@preconcurrency import CHDF5
#if canImport(Glibc)
import Glibc
#endif

/// Datasets: n-dimensional numeric arrays and 1-D string arrays.
extension HDF5Group {
    /// Arrays with at least this many elements are chunked and compressed (shuffle + deflate).
    public static let compressionThreshold = 4096

    /// Writes `values` (row-major) as the dataset `name` of `shape`. Large arrays are chunked and
    /// compressed unless `compress` is false.
    public func write<T: HDF5Element>(_ name: String, _ values: [T], shape: [Int], compress: Bool = true) throws {
        let object = childPath(name)
        guard shape.reduce(1, *) == values.count else {
            throw HDF5Error(file: file.path, object: object, operation: "write dataset: shape \(shape) needs \(shape.reduce(1, *)) values, got \(values.count)")
        }
        let dims = shape.map { hsize_t($0) }
        let space = try check(H5Screate_simple(Int32(dims.count), dims, nil), file.path, object, "create dataspace")
        defer { H5Sclose(space) }
        let dcpl = try datasetCreationList(shape: shape, compress: compress && values.count >= Self.compressionThreshold)
        defer { H5Pclose(dcpl) }
        let dataset = try check(H5Dcreate2(id, name, T.hdf5Type, space, fw_h5p_default(), dcpl, fw_h5p_default()),
                                file.path, object, "create dataset")
        defer { H5Dclose(dataset) }
        _ = try values.withUnsafeBytes { bytes in
            try check(H5Dwrite(dataset, T.hdf5Type, fw_h5s_all(), fw_h5s_all(), fw_h5p_default(), bytes.baseAddress),
                      file.path, object, "write dataset")
        }
    }

    /// Writes a 1-D array of variable-length UTF-8 strings.
    public func write(_ name: String, strings: [String]) throws {
        let object = childPath(name)
        let type = makeStringType()
        defer { H5Tclose(type) }
        var dims = [hsize_t(strings.count)]
        let space = try check(H5Screate_simple(1, &dims, nil), file.path, object, "create dataspace")
        defer { H5Sclose(space) }
        let dcpl = try datasetCreationList(shape: [strings.count], compress: false)
        defer { H5Pclose(dcpl) }
        let dataset = try check(H5Dcreate2(id, name, type, space, fw_h5p_default(), dcpl, fw_h5p_default()),
                                file.path, object, "create dataset")
        defer { H5Dclose(dataset) }
        _ = try withCStrings(strings) { pointers in
            try check(H5Dwrite(dataset, type, fw_h5s_all(), fw_h5s_all(), fw_h5p_default(), pointers), file.path, object, "write dataset")
        }
    }

    /// Reads the numeric dataset `name`, converting to `T`.
    /// - Throws: `HDF5Error` when it is missing or not of `T`'s kind (integer or float).
    public func read<T: HDF5Element>(_ name: String, as type: T.Type = T.self) throws -> (values: [T], shape: [Int]) {
        try read(name, as: type, classes: [T.hdf5Class], expected: "\(T.self)")
    }

    /// Reads the integer or floating-point dataset `name` of any width as `Double`s (what a
    /// NumPy array saved with h5py holds, whatever its dtype).
    /// - Throws: `HDF5Error` when it is missing or not numeric.
    public func readNumbers(_ name: String) throws -> (values: [Double], shape: [Int]) {
        try read(name, as: Double.self, classes: [H5T_INTEGER, H5T_FLOAT], expected: "numbers (integers or floats)")
    }

    private func read<T: HDF5Element>(_ name: String, as type: T.Type, classes: [H5T_class_t], expected: String) throws -> (values: [T], shape: [Int]) {
        let object = childPath(name)
        guard contains(name) else { throw HDF5Error(file: file.path, object: object, operation: "no such dataset") }
        let dataset = try check(H5Dopen2(id, name, fw_h5p_default()), file.path, object, "open dataset")
        defer { H5Dclose(dataset) }
        try expectClass(of: dataset, classes, object: object, expected: expected)
        let shape = try datasetShape(dataset, object: object)
        var values = [T](repeating: T.zero, count: shape.reduce(1, *))
        _ = try values.withUnsafeMutableBytes { bytes in
            try check(H5Dread(dataset, T.hdf5Type, fw_h5s_all(), fw_h5s_all(), fw_h5p_default(), bytes.baseAddress),
                      file.path, object, "read dataset")
        }
        return (values, shape)
    }

    /// Reads a 1-D string dataset.
    public func readStrings(_ name: String) throws -> [String] {
        let object = childPath(name)
        guard contains(name) else { throw HDF5Error(file: file.path, object: object, operation: "no such dataset") }
        let dataset = try check(H5Dopen2(id, name, fw_h5p_default()), file.path, object, "open dataset")
        defer { H5Dclose(dataset) }
        try expectClass(of: dataset, [H5T_STRING], object: object, expected: "strings")
        let count = try datasetShape(dataset, object: object).reduce(1, *)
        let type = makeStringType()
        defer { H5Tclose(type) }
        var pointers = [UnsafeMutablePointer<CChar>?](repeating: nil, count: count)
        try check(H5Dread(dataset, type, fw_h5s_all(), fw_h5s_all(), fw_h5p_default(), &pointers), file.path, object, "read dataset")
        let strings = pointers.map { $0.map { String(cString: $0) } ?? "" }
        let space = H5Dget_space(dataset)
        H5Dvlen_reclaim(type, space, fw_h5p_default(), &pointers)
        H5Sclose(space)
        return strings
    }

    /// The shape of dataset `name`.
    public func shape(of name: String) throws -> [Int] {
        let dataset = try check(H5Dopen2(id, name, fw_h5p_default()), file.path, childPath(name), "open dataset")
        defer { H5Dclose(dataset) }
        return try datasetShape(dataset, object: childPath(name))
    }

    /// The filters (HDF5 filter ids, e.g. 1 = deflate, 2 = shuffle) applied to dataset `name`.
    public func filters(of name: String) throws -> [Int] {
        let dataset = try check(H5Dopen2(id, name, fw_h5p_default()), file.path, childPath(name), "open dataset")
        defer { H5Dclose(dataset) }
        let dcpl = H5Dget_create_plist(dataset)
        defer { H5Pclose(dcpl) }
        return (0..<max(H5Pget_nfilters(dcpl), 0)).map { index in
            var flags: UInt32 = 0, count = 0
            var name = [CChar](repeating: 0, count: 64)
            return Int(H5Pget_filter2(dcpl, UInt32(index), &flags, &count, nil, 64, &name, nil))
        }
    }

    private func datasetCreationList(shape: [Int], compress: Bool) throws -> hid_t {
        let dcpl = H5Pcreate(fw_h5p_dataset_create())
        H5Pset_obj_track_times(dcpl, false)
        if compress {
            // Chunks of whole rows along the first axis, about 256 KiB each.
            let rowElements = max(shape.dropFirst().reduce(1, *), 1)
            let rows = max(1, min(shape[0], 65_536 / rowElements))
            var chunk = [hsize_t(rows)] + shape.dropFirst().map { hsize_t(max($0, 1)) }
            H5Pset_chunk(dcpl, Int32(chunk.count), &chunk)
            H5Pset_shuffle(dcpl)
            H5Pset_deflate(dcpl, 4)
        }
        return dcpl
    }

    private func datasetShape(_ dataset: hid_t, object: String) throws -> [Int] {
        let space = try check(H5Dget_space(dataset), file.path, object, "read dataspace")
        defer { H5Sclose(space) }
        let rank = Int(H5Sget_simple_extent_ndims(space))
        var dims = [hsize_t](repeating: 0, count: rank)
        H5Sget_simple_extent_dims(space, &dims, nil)
        return dims.map { Int($0) }
    }

    private func expectClass(of dataset: hid_t, _ expected: [H5T_class_t], object: String, expected name: String) throws {
        let type = H5Dget_type(dataset)
        defer { H5Tclose(type) }
        let found = H5Tget_class(type)
        guard expected.contains(found) else {
            throw HDF5Error(file: file.path, object: object, operation: "expected \(name), found HDF5 type class \(found.rawValue)")
        }
    }
}

/// Calls `body` with a C array of pointers to NUL-terminated UTF-8 copies of `strings`.
func withCStrings<R>(_ strings: [String], _ body: (UnsafeRawPointer) throws -> R) rethrows -> R {
    let copies = strings.map { strdup($0) }
    defer { copies.forEach { free($0) } }
    return try copies.withUnsafeBufferPointer { try body(UnsafeRawPointer($0.baseAddress!)) }
}
