extension DecodedImage {
    /// PGM (P2 ASCII, P5 binary) and PPM (P3, P6), 8-bit (maxval ≤ 255, rescaled to 0…255).
    static func decodeNetpbm(_ b: [UInt8]) throws -> DecodedImage {
        var position = 0
        func token() throws -> String {
            while position < b.count {
                if b[position] == UInt8(ascii: "#") { while position < b.count && b[position] != 10 { position += 1 } }
                else if b[position] == 32 || (9...13).contains(b[position]) { position += 1 } else { break }
            }
            let start = position
            while position < b.count && !(b[position] == 32 || (9...13).contains(b[position])) { position += 1 }
            guard position > start else { throw ImageFormatError("Netpbm header is truncated") }
            return String(decoding: b[start..<position], as: UTF8.self)
        }
        let magic = try token()
        guard ["P2", "P3", "P5", "P6"].contains(magic) else { throw ImageFormatError("not a PGM/PPM file (magic '\(magic)')") }
        guard let width = Int(try token()), let height = Int(try token()), let maxval = Int(try token()),
              width > 0, height > 0, (1...255).contains(maxval) else {
            throw ImageFormatError("bad PGM/PPM header: expected width, height and a maxval of 1…255")
        }
        let channels = magic == "P3" || magic == "P6" ? 3 : 1, count = width * height * channels
        var values = [Int]()
        values.reserveCapacity(count)
        if magic == "P5" || magic == "P6" {
            position += 1   // the single whitespace after maxval
            guard position + count <= b.count else { throw ImageFormatError("PGM/PPM is truncated: \(b.count - position) of \(count) pixel bytes") }
            values = b[position..<(position + count)].map(Int.init)
        } else {
            for _ in 0..<count {
                guard let v = Int(try token()) else { throw ImageFormatError("PGM/PPM pixel is not a number") }
                values.append(v)
            }
        }
        guard values.allSatisfy({ $0 <= maxval }) else { throw ImageFormatError("PGM/PPM pixel exceeds maxval \(maxval)") }
        return DecodedImage(width: width, height: height, channels: channels, pixels: values.map { UInt8($0 * 255 / maxval) })
    }

    /// Binary PGM (gray) or PPM (RGB).
    public func encodedNetpbm() -> [UInt8] {
        Array("\(channels == 1 ? "P5" : "P6")\n\(width) \(height)\n255\n".utf8) + pixels
    }
}
