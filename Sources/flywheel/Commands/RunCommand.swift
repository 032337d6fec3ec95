import ArgumentParser
import Harness
import Reports
import Store

/// `flywheel run EXPERIMENT.yaml [key=value ...]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment: every arm × variant × seed, resumable, with a report at the end.",
        discussion: """
            Trials go to RESULTS/NAME/trials/ as one HDF5 file each; trials already there are verified and \
            skipped. At the end the merged RESULTS/NAME.h5, report.md, trials.csv and arms.csv are written and \
            the table printed. Ctrl-C starts no further trials; finished trials stay. Exit codes: 0 success, \
            1 a trial failed, 2 bad input.

            Examples:
              flywheel run experiments/quick.yaml
              flywheel run experiments/quick.yaml seeds=[1,2] baseline.train.epochs=5 --jobs 2
              flywheel run experiments/quick.yaml --launcher slurm --max-parallel 8 --submit
            """)

    @Argument(help: "Experiment file (YAML), see docs/experiments.md.")
    var experiment: String

    @Argument(help: "Overrides, key.path=value (values in YAML).")
    var overrides: [String] = []

    @Option(help: "Trials run side by side.")
    var jobs = 1

    @Option(help: "Engine threads per trial (default: cores / jobs).")
    var threads: Int?

    @Option(help: "Results folder.")
    var results = "results"

    @OptionGroup var output: RunOutputOptions

    @OptionGroup var cluster: LauncherOptions

    func run() throws {
        let config = try ExperimentConfig.load(experiment, overrides: overrides)
        let launcher: any Launcher = switch cluster.launcher {
        case .local: output.localLauncher(results: results, jobs: jobs, threads: threads)
        case .slurm: cluster.slurmLauncher(experiment: experiment, overrides: overrides, results: results)
        }
        guard case .ran(let records, let missing) = try output.launching(config, with: launcher) else { return }
        let command = (["flywheel", "run", experiment] + overrides).joined(separator: " ")
        try ReportWriter.write(records, formats: ReportFormat.allCases, folder: results + "/" + config.name, merged: results + "/" + config.name + ".h5",
                         notebookFolder: output.notebooks, command: command).show()
        if !missing.isEmpty { print("\(missing.count) trial(s) not run yet; run the same command again to finish them") }
        if records.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}
