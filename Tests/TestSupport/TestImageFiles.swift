/// Image files written byte by byte, independently of the codecs under test: a 16-bit gray PNG
/// (zlib "stored" blocks, no compression) and an uncompressed little-endian TIFF.
public enum TestImageFiles {
    /// A 16-bit grayscale PNG of `width`×`height` samples, row-major.
    public static func png16(width: Int, height: Int, samples: [UInt16]) -> [UInt8] {
        precondition(samples.count == width * height)
        var raw: [UInt8] = []
        for row in 0..<height {
            raw.append(0)   // filter: none
            for value in samples[(row * width)..<((row + 1) * width)] { raw += [UInt8(value >> 8), UInt8(value & 0xFF)] }
        }
        let header = bigEndian(UInt32(width)) + bigEndian(UInt32(height)) + [16, 0, 0, 0, 0]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    /// An uncompressed TIFF of `channels` (1: gray, 3: RGB) samples of `bits` (8 or 16) each,
    /// row-major and interleaved.
    public static func tiff(width: Int, height: Int, channels: Int, bits: Int, samples: [UInt16]) -> [UInt8] {
        precondition(samples.count == width * height * channels && (bits == 8 || bits == 16))
        let pixels: [UInt8] = bits == 8 ? samples.map { UInt8($0) } : samples.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let entries = 10, ifdSize = 2 + entries * 12 + 4
        let bitsOffset = 8 + ifdSize, dataOffset = bitsOffset + (channels > 1 ? 2 * channels : 0)
        func entry(_ tag: UInt16, _ type: UInt16, _ count: UInt32, _ value: UInt32) -> [UInt8] {
            littleEndian(tag) + littleEndian(type) + littleEndian(count) + (type == 3 && count == 1 ? littleEndian(UInt16(value)) + [0, 0] : littleEndian(value))
        }
        var file: [UInt8] = [0x49, 0x49, 42, 0] + littleEndian(UInt32(8)) + littleEndian(UInt16(entries))
        file += entry(256, 4, 1, UInt32(width)) + entry(257, 4, 1, UInt32(height))
        file += channels > 1 ? entry(258, 3, UInt32(channels), UInt32(bitsOffset)) : entry(258, 3, 1, UInt32(bits))
        file += entry(259, 3, 1, 1) + entry(262, 3, 1, channels > 1 ? 2 : 1) + entry(273, 4, 1, UInt32(dataOffset))
        file += entry(277, 3, 1, UInt32(channels)) + entry(278, 4, 1, UInt32(height)) + entry(279, 4, 1, UInt32(pixels.count))
        file += entry(284, 3, 1, 1) + littleEndian(UInt32(0))
        if channels > 1 { for _ in 0..<channels { file += littleEndian(UInt16(bits)) } }
        return file + pixels
    }

    private static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    /// A zlib stream of uncompressed ("stored") deflate blocks.
    private static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var start = 0
        repeat {
            let end = min(data.count, start + 65_535), length = UInt16(end - start)
            out += [end == data.count ? 1 : 0] + littleEndian(length) + littleEndian(~length) + data[start..<end]
            start = end
        } while start < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data { a = (a + UInt32(byte)) % 65_521; b = (b + a) % 65_521 }
        return out + bigEndian(b << 16 | a)
    }

    private static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    private static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.bigEndian, Array.init) }
    private static func littleEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] { withUnsafeBytes(of: value.littleEndian, Array.init) }
}
