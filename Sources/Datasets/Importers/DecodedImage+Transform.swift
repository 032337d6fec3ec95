import CImageCodecs

/// How an image that is not square becomes a square one.
public enum ImageFit: String, Sendable, CaseIterable {
    /// Stretch each side to the target (aspect ratio not kept).
    case resize
    /// Cut the centred square of the shorter side, then resize.
    case crop
    /// Pad to a square of the longer side with the image's mean, then resize.
    case pad
}

extension DecodedImage {
    /// The image with `channels` channels: RGB to gray by ITU-R BT.601 luma
    /// (0.299 R + 0.587 G + 0.114 B), gray to RGB by copying.
    public func converted(toChannels target: Int) -> DecodedImage {
        guard target != channels else { return self }
        let n = width * height
        let out: [UInt8] = target == 1
            ? (0..<n).map { p in
                let r = Float(pixels[3 * p]), g = Float(pixels[3 * p + 1]), b = Float(pixels[3 * p + 2])
                return UInt8(min(255, 0.299 * r + 0.587 * g + 0.114 * b + 0.5))
            }
            : (0..<(n * 3)).map { pixels[$0 / 3] }
        return DecodedImage(width: width, height: height, channels: target, pixels: out)
    }

    /// The image brought to `size`×`size` as `fit` says: stretched, centre-cropped to a square
    /// first, or padded to a square first (with the image's mean per channel, so the padding
    /// adds no edge a model could learn).
    public func fitted(to size: Int, by fit: ImageFit) -> DecodedImage {
        guard width != height else { return resized(to: size) }
        switch fit {
        case .resize: return resized(to: size)
        case .crop:
            let side = min(width, height)
            return window(x: (width - side) / 2, y: (height - side) / 2, side: side).resized(to: size)
        case .pad: return paddedToSquare().resized(to: size)
        }
    }

    /// The `side`×`side` square at (x, y).
    private func window(x: Int, y: Int, side: Int) -> DecodedImage {
        var out: [UInt8] = []
        out.reserveCapacity(side * side * channels)
        for row in y..<(y + side) { out += pixels[((row * width + x) * channels)..<((row * width + x + side) * channels)] }
        return DecodedImage(width: side, height: side, channels: channels, pixels: out)
    }

    /// The image centred on a square of its longer side, the border filled with its mean per channel.
    private func paddedToSquare() -> DecodedImage {
        let side = max(width, height), left = (side - width) / 2, top = (side - height) / 2
        let means = (0..<channels).map { c in
            UInt8((stride(from: c, to: pixels.count, by: channels).reduce(0) { $0 + Int(pixels[$1]) } + pixels.count / channels / 2)
                  / max(1, pixels.count / channels))
        }
        var out = [UInt8](repeating: 0, count: side * side * channels)
        for p in 0..<(side * side) { for c in 0..<channels { out[p * channels + c] = means[c] } }
        for row in 0..<height {
            let target = ((top + row) * side + left) * channels
            out.replaceSubrange(target..<(target + width * channels), with: pixels[(row * width * channels)..<((row + 1) * width * channels)])
        }
        return DecodedImage(width: side, height: side, channels: channels, pixels: out)
    }

    /// The image resized to `size`×`size`: area averaging when shrinking (each output pixel the
    /// mean of the input area it covers), bilinear when enlarging.
    public func resized(to size: Int) -> DecodedImage {
        guard size != width || size != height else { return self }
        var out = [UInt8](repeating: 0, count: size * size * channels)
        let sx = Float(width) / Float(size), sy = Float(height) / Float(size)
        for y in 0..<size {
            for x in 0..<size {
                for c in 0..<channels {
                    let value = sx >= 1 && sy >= 1
                        ? areaAverage(x0: Float(x) * sx, x1: Float(x + 1) * sx, y0: Float(y) * sy, y1: Float(y + 1) * sy, channel: c)
                        : bilinear(x: (Float(x) + 0.5) * sx - 0.5, y: (Float(y) + 0.5) * sy - 0.5, channel: c)
                    out[(y * size + x) * channels + c] = UInt8(min(max(value + 0.5, 0), 255))
                }
            }
        }
        return DecodedImage(width: size, height: size, channels: channels, pixels: out)
    }

    private func pixel(_ x: Int, _ y: Int, _ c: Int) -> Float { Float(pixels[(y * width + x) * channels + c]) }

    private func areaAverage(x0: Float, x1: Float, y0: Float, y1: Float, channel c: Int) -> Float {
        var total: Float = 0, area: Float = 0
        for y in Int(y0)..<min(height, Int(y1.rounded(.up))) {
            let wy = min(Float(y + 1), y1) - max(Float(y), y0)
            for x in Int(x0)..<min(width, Int(x1.rounded(.up))) {
                let w = wy * (min(Float(x + 1), x1) - max(Float(x), x0))
                total += w * pixel(x, y, c); area += w
            }
        }
        return total / max(area, 1e-6)
    }

    private func bilinear(x: Float, y: Float, channel c: Int) -> Float {
        let cx = min(max(x, 0), Float(width - 1)), cy = min(max(y, 0), Float(height - 1))
        let x0 = Int(cx), y0 = Int(cy), x1 = min(x0 + 1, width - 1), y1 = min(y0 + 1, height - 1)
        let fx = cx - Float(x0), fy = cy - Float(y0)
        let top = pixel(x0, y0, c) * (1 - fx) + pixel(x1, y0, c) * fx
        let bottom = pixel(x0, y1, c) * (1 - fx) + pixel(x1, y1, c) * fx
        return top * (1 - fy) + bottom * fy
    }

    /// PNG bytes (libpng).
    public func encodedPNG() -> [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        var length = 0
        guard fw_encode_png(pixels, Int32(width), Int32(height), Int32(channels), &out, &length) == 0, let out else { return nil }
        defer { fw_image_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: length))
    }

    /// JPEG bytes at `quality` (libjpeg-turbo).
    public func encodedJPEG(quality: Int = 95) -> [UInt8]? {
        var out: UnsafeMutablePointer<UInt8>?
        var length: UInt = 0
        guard fw_encode_jpeg(pixels, Int32(width), Int32(height), Int32(channels), Int32(quality), &out, &length) == 0, let out else { return nil }
        defer { fw_image_free(out) }
        return Array(UnsafeBufferPointer(start: out, count: Int(length)))
    }
}
