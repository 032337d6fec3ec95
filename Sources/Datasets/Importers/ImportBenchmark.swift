import Engine
import Foundation

/// How fast `flywheel data import` reads a folder of camera-sized images: `count` textured
/// 300×300 RGB images per format (JPEG at quality 90, PNG), written once to a scratch folder,
/// then imported to each size at each thread count. Images per second are the median of `runs`.
public struct ImportBenchmark {
    public struct Measurement: Sendable {
        public let format: String
        public let size: Int
        public let threads: Int
        public let imagesPerSecond: Double
    }

    public var count = 400
    public var sizes = [32, 64]
    public var threads = [1, ProcessInfo.processInfo.activeProcessorCount]
    public var runs = 3

    public init() {}

    /// Writes the images under `scratch` (removed afterwards) and measures every combination.
    /// - Throws: `DatasetError.invalid` when the scratch folder cannot be written.
    public func measure(scratch: String) throws -> [Measurement] {
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var results: [Measurement] = []
        for format in ["jpg", "png"] {
            let root = scratch + "/" + format
            try writeImages(to: root, format: format)
            for size in sizes {
                for t in threads {
                    var options = ImportOptions()
                    options.imageSize = size
                    options.channels = 1
                    options.decodingThreads = t
                    let seconds = try (0..<runs).map { _ in try timed { _ = try Dataset.importFolder(root, options: options) } }.sorted()[runs / 2]
                    results.append(Measurement(format: format, size: size, threads: t, imagesPerSecond: Double(count) / seconds))
                }
            }
        }
        return results
    }

    /// `count` images in two class folders: smooth shading, a few dark blobs and sensor noise,
    /// so the codecs work on something like an inspection photograph rather than a flat field.
    private func writeImages(to root: String, format: String) throws {
        var g = SplitMix64(seed: 300)
        for i in 0..<count {
            let folder = root + "/class\(i % 2)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let blobs = (0..<4).map { _ in (Float(g.nextIndex(below: 300)), Float(g.nextIndex(below: 300)), Float(10 + g.nextIndex(below: 30))) }
            var pixels = [UInt8](repeating: 0, count: 300 * 300 * 3)
            for y in 0..<300 {
                for x in 0..<300 {
                    var value = 90 + Float(x + y) / 8
                    for (bx, by, r) in blobs where (Float(x) - bx) * (Float(x) - bx) + (Float(y) - by) * (Float(y) - by) < r * r { value -= 50 }
                    for c in 0..<3 { pixels[(y * 300 + x) * 3 + c] = UInt8(min(255, max(0, value + Float(c * 8) + 12 * (g.nextUniform() - 0.5)))) }
                }
            }
            let image = DecodedImage(width: 300, height: 300, channels: 3, pixels: pixels)
            guard let bytes = format == "png" ? image.encodedPNG() : image.encodedJPEG(quality: 90) else {
                throw DatasetError.invalid("\(folder): cannot encode a benchmark image as \(format)")
            }
            guard FileManager.default.createFile(atPath: "\(folder)/\(i).\(format)", contents: Data(bytes)) else {
                throw DatasetError.invalid("\(folder)/\(i).\(format): cannot write")
            }
        }
    }

    private func timed(_ body: () throws -> Void) rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
