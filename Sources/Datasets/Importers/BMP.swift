extension DecodedImage {
    /// Windows BMP, uncompressed: 8-bit palette (gray when the palette is gray, else RGB) and 24-bit.
    static func decodeBMP(_ b: [UInt8]) throws -> DecodedImage {
        guard b.count >= 54, b[0] == 0x42, b[1] == 0x4D else { throw ImageFormatError("not a BMP file (no 'BM' header)") }
        func u32(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 | Int(b[o + 2]) << 16 | Int(b[o + 3]) << 24 }
        func u16(_ o: Int) -> Int { Int(b[o]) | Int(b[o + 1]) << 8 }
        let offset = u32(10), headerSize = u32(14), width = u32(18), rawHeight = Int(Int32(truncatingIfNeeded: u32(22)))
        let bits = u16(28), compression = u32(30)
        guard compression == 0 else { throw ImageFormatError("compressed BMP (method \(compression)) is not supported") }
        guard bits == 8 || bits == 24 else { throw ImageFormatError("\(bits)-bit BMP is not supported; expected 8 or 24") }
        let height = abs(rawHeight), bottomUp = rawHeight > 0
        guard width > 0, height > 0 else { throw ImageFormatError("BMP has size \(width)×\(height)") }
        let stride = (width * bits / 8 + 3) & ~3
        guard offset + stride * height <= b.count else { throw ImageFormatError("BMP is truncated: \(b.count) bytes, pixel data needs \(offset + stride * height)") }
        var palette: [(UInt8, UInt8, UInt8)] = []
        if bits == 8 {
            let colors = u32(46) == 0 ? 256 : u32(46)
            let start = 14 + headerSize
            guard start + 4 * colors <= offset else { throw ImageFormatError("BMP palette is truncated") }
            palette = (0..<colors).map { (b[start + 4 * $0 + 2], b[start + 4 * $0 + 1], b[start + 4 * $0]) }
        }
        let gray = bits == 8 && palette.allSatisfy { $0.0 == $0.1 && $0.1 == $0.2 }
        let channels = gray ? 1 : 3
        var pixels = [UInt8](repeating: 0, count: width * height * channels)
        for y in 0..<height {
            let row = offset + (bottomUp ? height - 1 - y : y) * stride
            for x in 0..<width {
                let out = (y * width + x) * channels
                if bits == 24 {
                    pixels[out] = b[row + 3 * x + 2]; pixels[out + 1] = b[row + 3 * x + 1]; pixels[out + 2] = b[row + 3 * x]
                } else {
                    let index = Int(b[row + x])
                    guard index < palette.count else { throw ImageFormatError("BMP pixel uses palette entry \(index) of \(palette.count)") }
                    let color = palette[index]
                    if gray { pixels[out] = color.0 } else { pixels[out] = color.0; pixels[out + 1] = color.1; pixels[out + 2] = color.2 }
                }
            }
        }
        return DecodedImage(width: width, height: height, channels: channels, pixels: pixels)
    }

    /// An uncompressed 24-bit (RGB input) or 8-bit gray-palette (gray input) BMP.
    public func encodedBMP() -> [UInt8] {
        let bits = channels == 1 ? 8 : 24, stride = (width * bits / 8 + 3) & ~3
        let paletteSize = channels == 1 ? 1024 : 0, offset = 54 + paletteSize, size = offset + stride * height
        var b = [UInt8](repeating: 0, count: size)
        func put32(_ o: Int, _ v: Int) { for i in 0..<4 { b[o + i] = UInt8((v >> (8 * i)) & 0xFF) } }
        b[0] = 0x42; b[1] = 0x4D; put32(2, size); put32(10, offset); put32(14, 40); put32(18, width); put32(22, height)
        b[26] = 1; b[28] = UInt8(bits); put32(34, stride * height)
        if channels == 1 { for i in 0..<256 { for c in 0..<3 { b[54 + 4 * i + c] = UInt8(i) } } }
        for y in 0..<height {
            let row = offset + (height - 1 - y) * stride
            for x in 0..<width {
                let p = (y * width + x) * channels
                if channels == 1 { b[row + x] = pixels[p] } else { b[row + 3 * x] = pixels[p + 2]; b[row + 3 * x + 1] = pixels[p + 1]; b[row + 3 * x + 2] = pixels[p] }
            }
        }
        return b
    }
}
