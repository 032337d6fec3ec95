import Engine

/// The machine facts a results file records beside the versions, because a trained model's
/// numbers depend on them: the same machine, OpenBLAS kernel and thread count give bit-identical
/// trial files; another kernel rounds differently and moves each figure within seed noise.
public enum RuntimePlatform {
    /// Keyed as `TrialRecord.platform` stores them: `openblas_core` (the kernel family OpenBLAS
    /// chose, e.g. "Haswell"), `convolution` (the engine's 3×3 convolution kernel: winograd, avx512,
    /// avx2 or im2col, then ", training" and the kernel it trains with where that differs), `threads` (engine threads of the trial) and `cpu` (the model name).
    public static func current(threads: Int) -> [String: String] {
        ["openblas_core": BLASThreads.coreName, "convolution": ConvolutionKernel.description, "threads": String(threads),
         "cpu": CPUInfo.current.modelName]
    }
}
