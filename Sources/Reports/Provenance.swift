import Store

/// Where a report's numbers came from, as the trial files record it: Flywheel's commits and the
/// machine facts the figures depend on (OpenBLAS kernel, convolution kernel, engine threads, CPU). Figures are
/// bit-identical only for the same machine, kernel and thread count.
public struct Provenance: Sendable, Equatable {
    public var commits: [String]
    public var blasKernels: [String]
    /// The engine's 3×3 convolution kernels (winograd, avx512, avx2, im2col).
    public var convolutionKernels: [String]
    public var threads: [String]
    public var cpus: [String]
    /// SHA-256 of the experiment files the trials were planned from, with their overrides.
    public var experimentFiles: [String]

    /// The distinct values over `records` (files written before Flywheel recorded the machine
    /// facts count as "not recorded").
    public init(records: [TrialRecord]) {
        func distinct(_ value: (TrialRecord) -> String) -> [String] { Set(records.map(value)).sorted() }
        commits = distinct(\.gitCommit)
        blasKernels = distinct { $0.platform["openblas_core"] ?? "not recorded" }
        convolutionKernels = distinct { $0.platform["convolution"] ?? "im2col" }
        threads = distinct { $0.platform["threads"] ?? "not recorded" }
        cpus = distinct { $0.platform["cpu"] ?? "not recorded" }
        experimentFiles = Set(records.compactMap { r in
            r.experimentSHA256.map { $0 + (r.experimentOverrides.isEmpty ? "" : " with " + r.experimentOverrides) }
        }).sorted()
    }

    /// One markdown line for the foot of a report (empty without records).
    public var markdownLine: String {
        guard !commits.isEmpty else { return "" }
        return "Code: Flywheel commit \(commits.joined(separator: ", ")); OpenBLAS kernel \(blasKernels.joined(separator: ", ")), "
            + "convolution kernel \(convolutionKernels.joined(separator: ", ")), "
            + "\(threads.joined(separator: ", ")) engine thread(s) per trial, CPU \(cpus.joined(separator: ", ")) (as recorded in the trial files). "
            + "Another BLAS kernel rounds differently and moves each figure within seed noise."
            + (experimentFiles.isEmpty ? "" : " Experiment file sha256: \(experimentFiles.joined(separator: "; ")).")
    }
}
