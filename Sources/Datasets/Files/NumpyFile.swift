import Foundation

/// An array saved by NumPy's `np.save` (the `.npy` format, versions 1, 2 and 3): little-endian
/// or byte-order-free integers, booleans and floats in C order, read into `Double`s.
public struct NumpyFile: Sendable {
    public let shape: [Int]
    /// The elements in C (row-major) order.
    public let values: [Double]
    /// The stored type, as NumPy spells it (`<f4`, `<i8`, `|u1`, …).
    public let descr: String

    /// - Throws: `DatasetError.invalid` naming the file and what is wrong: not an .npy file, a
    ///   big-endian or Fortran-order array, an unsupported type, or fewer bytes than the shape needs.
    public init(contentsOf file: String) throws {
        func fail(_ reason: String) -> DatasetError { .invalid("\(file): \(reason)") }
        let reader = try ReadableFile(file)
        let preamble = try reader.read(10)
        guard preamble.count == 10, preamble.starts(with: [0x93] + Array("NUMPY".utf8)) else { throw fail("not a NumPy .npy file (no \\x93NUMPY magic)") }
        let major = preamble[6]
        guard (1...3).contains(major) else { throw fail("npy format version \(major) is not supported; expected 1, 2 or 3") }
        let lengthBytes = major == 1 ? [preamble[8], preamble[9]] : [preamble[8], preamble[9]] + (try reader.read(2))
        let headerLength = lengthBytes.enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let headerBytes = try reader.read(headerLength)
        guard headerBytes.count == headerLength else { throw fail("the header is cut short") }
        let header = String(decoding: headerBytes, as: UTF8.self)
        guard let descr = Self.quotedValue(of: "descr", in: header) else { throw fail("the header has no 'descr'") }
        guard !header.contains("'fortran_order': True") else { throw fail("the array is in Fortran order; save it in C order (np.ascontiguousarray)") }
        guard let shape = Self.shape(in: header) else { throw fail("the header's shape cannot be read: \(header)") }
        guard let element = Element(descr: descr) else {
            throw fail("elements of type '\(descr)' are not supported; expected little-endian floats (<f4, <f8), integers (<i1…<i8, <u1…<u8) or booleans")
        }
        let count = shape.reduce(1, *), dataBytes = reader.size - 10 - (lengthBytes.count - 2) - headerLength
        guard dataBytes >= count * element.size else {
            throw fail("holds \(dataBytes) bytes of data, but shape \(shape) of '\(descr)' needs \(count * element.size)")
        }
        // The data in chunks of whole elements, converted as they arrive.
        var values: [Double] = []
        values.reserveCapacity(count)
        let perChunk = max((1 << 20) / element.size, 1)
        while values.count < count {
            let chunk = try reader.read(min(perChunk, count - values.count) * element.size)
            guard chunk.count % element.size == 0, !chunk.isEmpty else { throw fail("the data is cut short") }
            chunk.withUnsafeBytes { raw in
                for offset in stride(from: 0, to: chunk.count, by: element.size) { values.append(element.value(raw, at: offset)) }
            }
        }
        self.shape = shape
        self.descr = descr
        self.values = values
    }

    private static func quotedValue(of key: String, in header: String) -> String? {
        guard let keyRange = header.range(of: "'\(key)':") else { return nil }
        let rest = header[keyRange.upperBound...].drop { $0 == " " }
        guard let quote = rest.first, quote == "'" || quote == "\"" else { return nil }
        let body = rest.dropFirst()
        return body.firstIndex(of: quote).map { String(body[..<$0]) }
    }

    private static func shape(in header: String) -> [Int]? {
        guard let keyRange = header.range(of: "'shape':"), let open = header[keyRange.upperBound...].firstIndex(of: "("),
              let close = header[open...].firstIndex(of: ")") else { return nil }
        let parts = header[header.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let dimensions = parts.compactMap { Int($0) }
        return dimensions.count == parts.count ? dimensions : nil
    }

    /// A stored element type and how to read one.
    private enum Element {
        case float32, float64, signed(Int), unsigned(Int)

        init?(descr: String) {
            guard let order = descr.first, order == "<" || order == "|" || order == "=" else { return nil }
            switch descr.dropFirst() {
            case "f4": self = .float32
            case "f8": self = .float64
            case "i1", "i2", "i4", "i8": self = .signed(Int(String(descr.last!))!)
            case "u1", "u2", "u4", "u8", "b1": self = .unsigned(Int(String(descr.last!))!)
            default: return nil
            }
        }

        var size: Int {
            switch self {
            case .float32: 4
            case .float64: 8
            case .signed(let n), .unsigned(let n): n
            }
        }

        func value(_ raw: UnsafeRawBufferPointer, at offset: Int) -> Double {
            switch self {
            case .float32: Double(Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))))
            case .float64: Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            case .signed(1): Double(raw.loadUnaligned(fromByteOffset: offset, as: Int8.self))
            case .signed(2): Double(Int16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int16.self)))
            case .signed(4): Double(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
            case .signed: Double(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self)))
            case .unsigned(1): Double(raw.loadUnaligned(fromByteOffset: offset, as: UInt8.self))
            case .unsigned(2): Double(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            case .unsigned(4): Double(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            case .unsigned: Double(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)))
            }
        }
    }
}
