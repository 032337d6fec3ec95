#if canImport(Glibc)
import Glibc
#endif

/// The networks of `shared/bench/reference-cnn.md`, which every peer framework trains too, and
/// the two the steel experiment trains at its own settings (32×32 gray images, batch 16) — also at
/// the sizes real inspection images need (64 and 128 pixels; gray, and RGB at 128), where
/// defects a few pixels wide survive the resize.
public enum ReferenceVariant: String, Sendable, CaseIterable, Codable {
    /// 1×64×64 input, conv 16/32/64, dense 128: `cnn-small`.
    case reference
    /// 1×128×128 input, conv 32/64/128, dense 256: `cnn-wide` at 128 pixels.
    case wide
    /// `cnn-deep` (two 3×3 convolutions per stage) at 32×32, batch 16: the steel baseline.
    case cnnDeep32 = "cnn-deep-32"
    /// `resnet-8` at 32×32, batch 16: the steel experiment's residual variant.
    case resnet8x32 = "resnet-8-32"
    case cnnDeep64 = "cnn-deep-64"
    case cnnDeep128 = "cnn-deep-128"
    case cnnDeep128RGB = "cnn-deep-128-rgb"
    case resnet8x64 = "resnet-8-64"
    case resnet8x128 = "resnet-8-128"
    case resnet8x128RGB = "resnet-8-128-rgb"
    /// `resnet-18` (ResNet-18's layout at half its widths) at 128 pixels, gray and RGB: the depth a
    /// team would train on real inspection images.
    case resnet18x128 = "resnet-18-128"
    case resnet18x128RGB = "resnet-18-128-rgb"

    /// The model that realises this variant.
    public var spec: ModelSpec {
        switch self {
        case .reference: ModelSpec(architecture: .cnnSmall, inputChannels: 1, imageSize: 64, classes: 6)
        case .wide: ModelSpec(architecture: .cnnWide, inputChannels: 1, imageSize: 128, classes: 6)
        case .cnnDeep32, .cnnDeep64, .cnnDeep128, .cnnDeep128RGB:
            ModelSpec(architecture: .cnnDeep, inputChannels: channels, imageSize: imageSize, classes: 6)
        case .resnet8x32, .resnet8x64, .resnet8x128, .resnet8x128RGB:
            ModelSpec(architecture: .resnet8, inputChannels: channels, imageSize: imageSize, classes: 6)
        case .resnet18x128, .resnet18x128RGB:
            ModelSpec(architecture: .resnet18, inputChannels: channels, imageSize: imageSize, classes: 6)
        }
    }

    /// Input height and width.
    var imageSize: Int {
        switch self {
        case .cnnDeep32, .resnet8x32: 32
        case .reference, .cnnDeep64, .resnet8x64: 64
        case .wide, .cnnDeep128, .cnnDeep128RGB, .resnet8x128, .resnet8x128RGB, .resnet18x128, .resnet18x128RGB: 128
        }
    }

    /// Input channels: 3 for the RGB variants.
    var channels: Int { rawValue.hasSuffix("-rgb") ? 3 : 1 }

    /// The batch it is measured at: the reference protocol's 32, or the experiments' 16.
    public var batch: Int { self == .reference || self == .wide ? 32 : 16 }

    /// Default minimum seconds per timed loop: longer where a step takes longer.
    var defaultSeconds: Double { imageSize == 128 ? 6 : 3 }
}

/// Training and inference throughput of one variant at one BLAS thread count.
public struct ThroughputResult: Sendable, Codable {
    public let variant: ReferenceVariant
    public let threads: Int
    public let batch: Int
    public let trainImagesPerSecond: Double
    public let inferImagesPerSecond: Double
    /// Training FLOPs per image (3 × forward), the convention the peers use.
    public let trainFLOPsPerImage: Double
    /// Effective training rate: convention FLOPs per second (what the peers report).
    public var trainGFLOPs: Double { trainImagesPerSecond * trainFLOPsPerImage / 1e9 }
    /// Training FLOPs per image the kernels executed (`ExecutedFLOPs`).
    public let executedTrainFLOPsPerImage: Double
    /// Inference FLOPs per image the kernels executed.
    public let executedInferFLOPsPerImage: Double
    /// Executed training FLOPs per second: what a fraction of the FMA peak is honestly taken of.
    public var executedTrainGFLOPs: Double { trainImagesPerSecond * executedTrainFLOPsPerImage / 1e9 }
    /// Executed inference FLOPs per second.
    public var executedInferGFLOPs: Double { inferImagesPerSecond * executedInferFLOPsPerImage / 1e9 }
    /// Resident memory of the process after the timed training loop, in MB.
    public let residentMB: Double
}

/// Measures the engine on a reference variant with the protocol of `reference-cnn.md`: one
/// fixed random batch of `variant.batch` (N(0, 1) images, uniform labels), SGD lr 0.01 momentum 0.9, warm-up
/// steps excluded, then a timed loop of at least `minSteps` steps and `minSeconds` seconds.
/// `threads` is the engine's worker count (`Parallelism`), each worker calling single-threaded BLAS.
public func measureThroughput(variant: ReferenceVariant, threads: Int, warmup: Int = 5,
                              minSteps: Int = 10, minSeconds: Double? = nil) throws -> ThroughputResult {
    Parallelism.set(threads: threads)
    let spec = variant.spec, batch = variant.batch
    let model = try spec.build(seed: 1)
    var config = TrainingConfig()
    config.learningRate = 0.01
    config.optimizer = OptimizerSettings(kind: .sgd, momentum: 0.9)
    let trainer = try Trainer(model: model, config: config)
    let images = randomTensor(model.inputShape.batched(batch), seed: 2)
    var generator = SplitMix64(seed: 3)
    let labels = (0..<batch).map { _ in Int32(generator.nextIndex(below: spec.classes)) }
    let seconds = minSeconds ?? variant.defaultSeconds

    let trainRate = labels.withUnsafeBufferPointer { y in
        timeLoop(warmup: warmup, minSteps: minSteps, minSeconds: seconds) { _ = trainer.step(images, y, learningRate: 0.01) }
    }
    let resident = residentMegabytes()
    let inferRate = timeLoop(warmup: warmup, minSteps: minSteps, minSeconds: seconds) { _ = model.forward(images, mode: .inference) }
    return ThroughputResult(variant: variant, threads: threads, batch: batch,
                            trainImagesPerSecond: trainRate * Double(batch), inferImagesPerSecond: inferRate * Double(batch),
                            trainFLOPsPerImage: Double(model.trainingFLOPsPerSample),
                            executedTrainFLOPsPerImage: Double(model.executedTrainingFLOPsPerSample),
                            executedInferFLOPsPerImage: Double(model.executedInferenceFLOPsPerSample), residentMB: resident)
}

/// Single-precision GEMM rate of this machine's OpenBLAS at `threads` threads: the best of
/// `repeats` n×n×n multiplies, in GFLOP/s.
/// The previous BLAS thread count is restored afterwards.
public func measureSgemmPeak(threads: Int, size n: Int = 2048, repeats: Int = 3) -> Double {
    let previous = BLASThreads.count
    BLASThreads.set(threads)
    defer { BLASThreads.set(previous) }
    let a = randomTensor([n, n], seed: 4), b = randomTensor([n, n], seed: 5), c = Tensor(zeros: [n, n])
    var best = 0.0
    for _ in 0..<repeats {
        let start = monotonicSeconds()
        sgemm(transposeA: false, transposeB: false, m: n, n: n, k: n, a: a.pointer, lda: n, b: b.pointer, ldb: n,
              beta: 0, c: c.pointer, ldc: n)
        best = max(best, 2 * Double(n * n * n) / (monotonicSeconds() - start) / 1e9)
    }
    return best
}

/// Calls per second of `body` after `warmup` untimed calls, timed over at least `minSteps`
/// calls and `minSeconds` seconds.
private func timeLoop(warmup: Int, minSteps: Int, minSeconds: Double, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var steps = 0
    let start = monotonicSeconds()
    var elapsed = 0.0
    repeat { body(); steps += 1; elapsed = monotonicSeconds() - start } while steps < minSteps || elapsed < minSeconds
    return Double(steps) / elapsed
}

/// The process's resident set size in MB, from /proc/self/statm (0 where unavailable).
public func residentMegabytes() -> Double {
    guard let file = fopen("/proc/self/statm", "r") else { return 0 }
    defer { fclose(file) }
    var size = 0, resident = 0
    guard withUnsafeMutablePointer(to: &size, { s in withUnsafeMutablePointer(to: &resident) { r in
        withVaList([s, r]) { vfscanf(file, "%ld %ld", $0) } } }) == 2 else { return 0 }
    return Double(resident * Int(sysconf(Int32(_SC_PAGESIZE)))) / 1_048_576
}
