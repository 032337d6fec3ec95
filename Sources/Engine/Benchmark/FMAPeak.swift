import CPeak
import Dispatch

/// The vector widths of fused multiply-add a CPU may offer.
public enum FMAWidth: Int, Sendable, CaseIterable {
    case avx2 = 256
    case avx512 = 512

    /// Whether this CPU runs it.
    public var isSupported: Bool { fw_fma_supported(fw_fma_width(rawValue: UInt32(rawValue))) != 0 }

    /// The widest width this CPU runs (nil without AVX2 and FMA).
    public static var widestSupported: FMAWidth? { allCases.last { $0.isSupported } }

    /// The width of the kernels an OpenBLAS core type runs: AVX-512 for SkylakeX and later Intel
    /// server kernels, AVX2 for Haswell and Zen, nil for the older, narrower ones (Prescott, …).
    public init?(openBLASCore core: String) {
        switch core {
        case "SkylakeX", "Cooperlake", "SapphireRapids": self = .avx512
        case "Haswell", "Zen", "SkylakeX_AVX2": self = .avx2
        default: return nil
        }
    }
}

/// The machine's fp32 FMA throughput ceiling at `width` with `threads` threads running FMA chains
/// at once, in GFLOP/s (the best of three timed runs of about `seconds` each), or nil when the CPU
/// lacks the instructions. What a GEMM or convolution could reach at best: comparing it with the
/// BLAS library's sgemm rate shows when the library's kernel, not the machine, is the limit.
public func measureFMAPeak(width: FMAWidth, threads: Int, seconds: Double = 0.2) -> Double? {
    guard width.isSupported else { return nil }
    let cWidth = fw_fma_width(rawValue: UInt32(width.rawValue))
    // Calibrate: iterations for about `seconds` on one thread.
    var iterations = 100_000
    while true {
        let start = monotonicSeconds()
        _ = fw_fma_chains(cWidth, iterations)
        let elapsed = monotonicSeconds() - start
        if elapsed > seconds / 4 { iterations = Int(Double(iterations) * seconds / elapsed); break }
        iterations *= 4
    }
    let timed = iterations
    let flopsPerThread = fw_fma_chains(cWidth, timed)   // a warm-up run that also counts the work
    var best = 0.0
    for _ in 0..<3 {
        let start = monotonicSeconds()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in _ = fw_fma_chains(cWidth, timed) }
        best = max(best, flopsPerThread * Double(threads) / (monotonicSeconds() - start) / 1e9)
    }
    return best
}
