import ArgumentParser
import Engine
import Foundation

/// `flywheel bench`: the engine's throughput on the reference networks, beside the machine's
/// own sgemm rate measured in the same process.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training and inference throughput on the reference CNN.",
        discussion: """
            Trains the networks of shared/bench/reference-cnn.md on one fixed random batch of 32, and \
            the experiments' cnn-deep and resnet-8 at 32×32 on a batch of 16 (and at 64 and 128 \
            pixels, gray and RGB: the sizes real inspection images need) \
            (SGD, lr 0.01, momentum 0.9), and reports images per second, effective GFLOP/s (the \
            direct convolution's FLOPs, training = 3 × forward: the peers' convention), the FLOPs the \
            kernels executed per second (Winograd multiplies less) and their fraction of the machine's \
            FMA peak, and the sgemm rate this machine's OpenBLAS reaches at the same thread count, \
            measured in the same process. Beside them, the CPU's own fp32 FMA \
            ceiling at its widest vector width and at the width of the kernel OpenBLAS runs: where the \
            environment forces a narrower kernel (OPENBLAS_CORETYPE=Haswell on an AVX-512 CPU), the \
            BLAS library, not the machine, is the limit.

            Examples:
              flywheel bench
              flywheel bench --variant reference --threads 1 --format json
              flywheel bench --variant cnn-deep-128,resnet-8-128-rgb --threads 2
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

    @Option(help: "Network variants, comma-separated.")
    var variant = CommaList<ReferenceVariant>([.reference, .wide])

    @Option(help: "BLAS thread counts (comma-separated).")
    var threads = CommaList([1, 2])

    @Option(help: "Minimum seconds per timed loop (default 6 for wide, 3 for the others).")
    var seconds: Double?

    @Option(help: "Output format: table or json (one JSON object per line).")
    var format: Format = .table

    @Flag(help: "Also print forward and backward milliseconds per layer of a training step.")
    var profile = false

    func validate() throws {
        _ = try threads.threadCounts()
        if let seconds, seconds <= 0 { throw ValidationError("--seconds must be positive, got \(seconds).") }
    }

    func run() throws {
        if format == .table {
            print("OpenBLAS core \(BLASThreads.coreName) (\(Self.widthName(FMAWidth(openBLASCore: BLASThreads.coreName))) kernels) "
                  + "on a CPU whose widest FMA is \(Self.widthName(FMAWidth.widestSupported)); "
                  + "batch 32 (reference, wide) or 16 (the 32-pixel networks); training FLOPs = 3 × forward")
            print(BenchRow.header)
        }
        for variant in variant.values {
            for t in try threads.threadCounts() {
                let result = try measureThroughput(variant: variant, threads: t, minSeconds: seconds)
                let peak = measureSgemmPeak(threads: t)
                let row = BenchRow(result: result, sgemmGFLOPs: peak, core: BLASThreads.coreName,
                                   fmaPeakGFLOPs: FMAWidth.widestSupported.flatMap { measureFMAPeak(width: $0, threads: t) },
                                   blasWidthPeakGFLOPs: FMAWidth(openBLASCore: BLASThreads.coreName).flatMap { measureFMAPeak(width: $0, threads: t) })
                print(format == .json ? try row.json() : row.line)
                if profile { try printProfile(variant: variant) }
            }
        }
    }

    private static func widthName(_ width: FMAWidth?) -> String {
        switch width {
        case .avx512?: return "AVX-512"
        case .avx2?: return "AVX2"
        case nil: return "pre-AVX2"
        }
    }

    private func printProfile(variant: ReferenceVariant) throws {
        let model = try variant.spec.build(seed: 1)
        let images = Tensor(zeros: model.inputShape.batched(variant.batch))
        for i in 0..<images.count { images[flat: i] = Float(i % 17) / 8 - 1 }
        let labels = (0..<variant.batch).map { Int32($0 % variant.spec.classes) }
        for timing in try profileLayers(model: model, images: images, labels: labels) {
            print(String(format: "    %-16@ forward %7.2f ms   backward %7.2f ms", timing.layer,
                         timing.forwardMilliseconds, timing.backwardMilliseconds))
        }
    }
}

/// One measured configuration, as a table line or a JSON object.
struct BenchRow: Encodable {
    let engine = "flywheel"
    let variant: String
    let threads: Int
    let trainImagesPerSecond: Double
    let inferImagesPerSecond: Double
    /// Effective: the direct convolution's FLOPs per second (training = 3 × forward).
    let trainGFLOPs: Double
    /// The FLOPs the kernels executed per second, training and inference (`ExecutedFLOPs`).
    let executedTrainGFLOPs: Double, executedInferGFLOPs: Double
    /// Executed training FLOPs per second over the FMA peak at the CPU's widest width (nil without AVX2).
    let executedFractionOfFMAPeak: Double?
    let sgemmGFLOPs: Double
    let residentMB: Double
    let openblasCore: String
    /// The CPU's fp32 FMA ceiling at its widest vector width, at this thread count (nil without AVX2).
    let fmaPeakGFLOPs: Double?
    /// The same ceiling at the vector width of the kernel OpenBLAS runs (nil for pre-AVX2 kernels).
    let blasWidthPeakGFLOPs: Double?

    enum CodingKeys: String, CodingKey {
        case engine, variant, threads, residentMB = "resident_mb", openblasCore = "openblas_core"
        case trainImagesPerSecond = "train_images_per_second", inferImagesPerSecond = "infer_images_per_second"
        case trainGFLOPs = "train_gflops", sgemmGFLOPs = "sgemm_gflops"
        case fmaPeakGFLOPs = "fma_peak_gflops", blasWidthPeakGFLOPs = "blas_width_fma_peak_gflops"
        case executedTrainGFLOPs = "executed_train_gflops", executedInferGFLOPs = "executed_infer_gflops"
        case executedFractionOfFMAPeak = "executed_fraction_of_fma_peak"
    }

    init(result: ThroughputResult, sgemmGFLOPs: Double, core: String, fmaPeakGFLOPs: Double?, blasWidthPeakGFLOPs: Double?) {
        self.fmaPeakGFLOPs = fmaPeakGFLOPs; self.blasWidthPeakGFLOPs = blasWidthPeakGFLOPs
        variant = result.variant.rawValue; threads = result.threads
        trainImagesPerSecond = result.trainImagesPerSecond; inferImagesPerSecond = result.inferImagesPerSecond
        trainGFLOPs = result.trainGFLOPs; self.sgemmGFLOPs = sgemmGFLOPs
        executedTrainGFLOPs = result.executedTrainGFLOPs; executedInferGFLOPs = result.executedInferGFLOPs
        executedFractionOfFMAPeak = fmaPeakGFLOPs.map { result.executedTrainGFLOPs / $0 }
        residentMB = result.residentMB; openblasCore = core
    }

    static let header = "variant           threads  train img/s  infer img/s  train GFLOP/s: effective  executed  "
        + "% of FMA peak  sgemm GFLOP/s  FMA peak: CPU  FMA peak: BLAS width  RSS MB"

    var line: String {
        let executedShare = executedFractionOfFMAPeak.map { String(format: "%.0f%%", 100 * $0) } ?? "—"
        return String(format: "%-17@ %7d  %11.0f  %11.0f  %24.1f  %8.1f  ", variant, threads,
                      trainImagesPerSecond, inferImagesPerSecond, trainGFLOPs, executedTrainGFLOPs)
            + String(repeating: " ", count: max(13 - executedShare.count, 0)) + executedShare
            + String(format: "  %13.1f  ", sgemmGFLOPs)
            + Self.gflops(fmaPeakGFLOPs, width: 13) + "  " + Self.gflops(blasWidthPeakGFLOPs, width: 19) + String(format: "  %6.0f", residentMB)
    }

    /// A rate with one decimal, or "—", right-aligned in `width` characters.
    private static func gflops(_ value: Double?, width: Int) -> String {
        let text = value.map { String(format: "%.1f", $0) } ?? "—"
        return String(repeating: " ", count: max(width - text.count, 0)) + text
    }

    func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }
}
