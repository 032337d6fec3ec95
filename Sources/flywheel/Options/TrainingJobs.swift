import ArgumentParser
import Engine
import Foundation

/// How a command that runs many independent trainings (trials, an audit's levers) spreads them over
/// the cores: `--jobs` trainings side by side, each on `--threads` engine threads. One default for
/// every command, so a trial rerun with `flywheel run` rounds as it did in `flywheel reproduce`.
struct TrainingJobs: ParsableArguments {
    @Option(help: "Trainings run side by side (default: all cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Engine threads per training (default: cores / jobs).")
    var threads: Int?

    /// Engine threads per training: as given, else the cores shared among the jobs.
    var threadsPerJob: Int { threads ?? Parallelism.threads(sharingCoresAmong: jobs) }

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1, got \(jobs).") }
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1, got \(threads).") }
    }
}
