import CImageCodecs
import Foundation

/// An 8-bit image in memory: row-major (H, W, C), C = 1 (gray) or 3 (RGB).
public struct DecodedImage: Sendable, Equatable {
    public var width: Int, height: Int, channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.channels = channels; self.pixels = pixels
    }

    /// The image formats Flywheel reads, by file extension.
    public static let extensions: Set<String> = ["bmp", "png", "jpg", "jpeg", "pgm", "ppm", "tif", "tiff"]

    /// Reads and decodes the image file at `path` (BMP, PGM/PPM natively; PNG, JPEG and TIFF
    /// through libpng, libjpeg-turbo and libtiff). 16-bit PNG and TIFF are scaled to 8 bits linearly.
    /// - Throws: `DatasetError.invalid` naming the file and what is wrong with it.
    public static func read(_ path: String) throws -> DecodedImage {
        if ["tif", "tiff"].contains((path as NSString).pathExtension.lowercased()) {
            do { return try decoded(fw_decode_tiff_file(path)) } catch let error as ImageFormatError {
                throw DatasetError.invalid("\(path): \(error.message)")
            }
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw DatasetError.invalid("\(path): cannot read the file") }
        let bytes = [UInt8](data)
        do {
            switch (path as NSString).pathExtension.lowercased() {
            case "bmp": return try decodeBMP(bytes)
            case "pgm", "ppm": return try decodeNetpbm(bytes)
            case "png": return try decodeWithLibrary(bytes, fw_decode_png)
            case "jpg", "jpeg": return try decodeWithLibrary(bytes, fw_decode_jpeg)
            default:
                throw ImageFormatError("unsupported image format '.\((path as NSString).pathExtension)'; expected one of "
                                       + extensions.sorted().joined(separator: ", "))
            }
        } catch let error as ImageFormatError {
            throw DatasetError.invalid("\(path): \(error.message)")
        }
    }

    private static func decodeWithLibrary(_ bytes: [UInt8], _ decode: (UnsafePointer<UInt8>?, Int) -> fw_image) throws -> DecodedImage {
        try decoded(bytes.withUnsafeBufferPointer { decode($0.baseAddress, $0.count) })
    }

    /// The image a C decoder returned, its buffer released.
    private static func decoded(_ result: fw_image) throws -> DecodedImage {
        var image = result
        guard let pixels = image.pixels else {
            let message = withUnsafeBytes(of: &image.error) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            throw ImageFormatError(message.isEmpty ? "cannot decode" : message)
        }
        defer { fw_image_free(pixels) }
        let count = Int(image.width) * Int(image.height) * Int(image.channels)
        return DecodedImage(width: Int(image.width), height: Int(image.height), channels: Int(image.channels),
                            pixels: Array(UnsafeBufferPointer(start: pixels, count: count)))
    }
}

/// What is wrong inside an image file (the caller adds the file name).
struct ImageFormatError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
