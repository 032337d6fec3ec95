import ArgumentParser
import Foundation
import Harness

/// Options of `flywheel run --launcher slurm`.
struct LauncherOptions: ParsableArguments {
    @Option(help: "Where trials run: local (this machine) or slurm (a job array).")
    var launcher = LauncherKind.local

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Slurm time limit per trial.")
    var time = "00:30:00"

    @Option(help: "CPUs per Slurm task (engine threads per trial).")
    var cpusPerTask = 1

    @Option(help: "Memory per Slurm task.")
    var mem = "4G"

    @Option(help: "At most this many array tasks at once.")
    var maxParallel: Int?

    @Flag(help: "Submit with sbatch (otherwise only write the scripts and print the commands).")
    var submit = false

    func validate() throws {
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask).") }
        if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be at least 1, got \(maxParallel).") }
    }

    var resources: SlurmLauncher.Resources {
        var r = SlurmLauncher.Resources()
        r.partition = partition; r.time = time; r.cpusPerTask = cpusPerTask; r.memory = mem; r.maxParallel = maxParallel
        return r
    }

    /// A Slurm launcher for `experiment` (paths made absolute, for jobs that start elsewhere).
    func slurmLauncher(experiment: String, overrides: [String], results: String) -> SlurmLauncher {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = { (path: String) in path.hasPrefix("/") ? path : cwd + "/" + path }
        return SlurmLauncher(executable: URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path, experiment: absolute(experiment),
                             overrides: overrides, resultsRoot: absolute(results), resources: resources, workingDirectory: cwd, submitting: submit)
    }
}
