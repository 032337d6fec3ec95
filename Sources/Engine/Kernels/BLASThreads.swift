import CBLAS

/// OpenBLAS's thread pool, which every GEMM in the process uses.
public enum BLASThreads {
    /// Threads OpenBLAS uses for the next call.
    public static var count: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of OpenBLAS threads (at least 1). With one thread every result is
    /// bit-for-bit reproducible.
    public static func set(_ threads: Int) {
        precondition(threads >= 1, "BLAS thread count must be at least 1, got \(threads)")
        openblas_set_num_threads(Int32(threads))
    }

    /// The CPU kernel family OpenBLAS selected (for example "Haswell" or "SkylakeX").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }
}

extension BLASThreads {
    /// OpenBLAS's build description, e.g. "OpenBLAS 0.3.21 DYNAMIC_ARCH NO_AFFINITY SkylakeX MAX_THREADS=64".
    public static var configuration: String {
        guard let text = openblas_get_config() else { return "unknown" }
        return String(cString: text)
    }
}
