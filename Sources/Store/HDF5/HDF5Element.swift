@preconcurrency import CHDF5

/// A numeric type that HDF5 stores natively.
public protocol HDF5Element: Sendable {
    /// The HDF5 in-memory type.
    static var hdf5Type: hid_t { get }
    /// HDF5's type class for checking a stored dataset before reading it.
    static var hdf5Class: H5T_class_t { get }
    static var zero: Self { get }
}

extension Float: HDF5Element {
    public static var hdf5Type: hid_t { fw_h5t_native_float() }
    public static var hdf5Class: H5T_class_t { H5T_FLOAT }
}
extension Double: HDF5Element {
    public static var hdf5Type: hid_t { fw_h5t_native_double() }
    public static var hdf5Class: H5T_class_t { H5T_FLOAT }
}
extension Int32: HDF5Element {
    public static var hdf5Type: hid_t { fw_h5t_native_int32() }
    public static var hdf5Class: H5T_class_t { H5T_INTEGER }
}
extension Int64: HDF5Element {
    public static var hdf5Type: hid_t { fw_h5t_native_int64() }
    public static var hdf5Class: H5T_class_t { H5T_INTEGER }
}
extension UInt8: HDF5Element {
    public static var hdf5Type: hid_t { fw_h5t_native_uint8() }
    public static var hdf5Class: H5T_class_t { H5T_INTEGER }
}

/// A variable-length UTF-8 string type (the caller closes it).
func makeStringType() -> hid_t {
    let type = H5Tcopy(fw_h5t_c_s1())
    H5Tset_size(type, fw_h5t_variable())
    H5Tset_cset(type, H5T_CSET_UTF8)
    return type
}

extension String {
    /// The text of a NUL-terminated C buffer that HDF5 filled.
    init(cBuffer buffer: [CChar]) {
        self.init(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
