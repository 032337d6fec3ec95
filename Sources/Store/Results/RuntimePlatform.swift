import Engine

/// The machine facts a results file records beside the versions, because a trained model's
/// numbers depend on them: the same machine, OpenBLAS kernel and thread count give bit-identical
/// trial files; another kernel rounds differently and moves each figure within seed noise.
public enum RuntimePlatform {
    /// Keyed as `TrialRecord.platform` stores them: `openblas_core` (the kernel family OpenBLAS
    /// chose, e.g. "Haswell"), `threads` (engine threads of the trial) and `cpu` (the model name).
    public static func current(threads: Int) -> [String: String] {
        ["openblas_core": BLASThreads.coreName, "threads": String(threads), "cpu": CPUInfo.current.modelName]
    }
}
