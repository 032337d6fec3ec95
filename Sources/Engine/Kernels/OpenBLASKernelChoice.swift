#if canImport(Glibc)
import Glibc
#endif

/// OpenBLAS picks its kernels by CPU model at load time. Debian's 0.3.21 does not know recent
/// Intel server parts and falls back to its generic "Prescott" (SSE3) kernels, which run sgemm
/// about 6× slower than the AVX-512 kernels the CPU can execute (measured: 23 vs 147 GFLOP/s).
/// This names the kernel family to ask for instead, through `OPENBLAS_CORETYPE`.
public enum OpenBLASKernelChoice {
    /// The `OPENBLAS_CORETYPE` value that fixes a generic fallback on this CPU, or nil when
    /// OpenBLAS chose well, the user already set `OPENBLAS_CORETYPE`, or nothing better fits.
    public static func override(coreName: String = BLASThreads.coreName,
                                environment: [String: String] = currentEnvironment(),
                                cpuFlags: Set<String> = CPUInfo.current.flags) -> String? {
        guard environment["OPENBLAS_CORETYPE"] == nil, ["Prescott", "Core2", "Nehalem"].contains(coreName) else { return nil }
        if cpuFlags.isSuperset(of: ["avx512f", "avx512bw", "avx512dq", "avx512vl"]) { return "SkylakeX" }
        if cpuFlags.isSuperset(of: ["avx2", "fma"]) { return "Haswell" }
        return nil
    }

    /// The process environment as a dictionary.
    public static func currentEnvironment() -> [String: String] {
        var result: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let pair = String(cString: pointer)
            if let eq = pair.firstIndex(of: "=") { result[String(pair[..<eq])] = String(pair[pair.index(after: eq)...]) }
            entry += 1
        }
        return result
    }
}
