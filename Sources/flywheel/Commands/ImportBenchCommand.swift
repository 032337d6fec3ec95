import ArgumentParser
import Datasets
import Foundation

/// `flywheel data bench-import`: how fast images are imported, per format, size and thread count.
struct ImportBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-import",
        abstract: "Measure import speed: 300×300 JPEG and PNG images to 32 and 64 px, on one thread and on every core.",
        discussion: """
            Writes textured 300×300 RGB images (JPEG at quality 90, and PNG) to a scratch folder, \
            imports them as gray at each size and thread count, and prints images per second (median \
            of three runs). The scratch folder is removed afterwards.

            Examples:
              flywheel data bench-import
              flywheel data bench-import --images 1000 --threads 1,2,4
            """)

    @Option(help: "Images per format.")
    var images = 400

    @Option(help: "Decoding threads (comma-separated; default: 1 and every core).")
    var threads: CommaList<Int>?

    func validate() throws {
        guard images >= 10 else { throw ValidationError("--images must be at least 10, got \(images).") }
    }

    func run() throws {
        var benchmark = ImportBenchmark()
        benchmark.count = images
        if let threads {
            benchmark.threads = try threads.threadCounts()
        }
        let scratch = NSTemporaryDirectory() + "flywheel-bench-import-\(getpid())"
        print("format  size  threads  images/s   (\(images) images of 300×300 RGB per format, imported as gray)")
        for m in try benchmark.measure(scratch: scratch) {
            print(String(format: "%-6@ %5d %8d %9.0f", m.format, m.size, m.threads, m.imagesPerSecond))
        }
    }
}
