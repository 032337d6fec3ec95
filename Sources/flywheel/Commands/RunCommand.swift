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

    @OptionGroup var arguments: ExperimentArguments

    @OptionGroup var output: RunOutputOptions

    @OptionGroup var cluster: LauncherOptions

    func run() throws {
        let config = try ExperimentConfig.load(arguments.experiment, overrides: arguments.overrides)
        let launcher: any Launcher = switch cluster.launcher {
        case .local: output.localLauncher(for: arguments)
        case .slurm: cluster.slurmLauncher(experiment: arguments.experiment, overrides: arguments.overrides, results: arguments.results)
        }
        guard case .ran(let records, let missing, let signal) = try output.launching(config, with: launcher) else { return }
        try output.report(records, missing: missing, interruptedBy: signal, of: config, in: arguments.results, formats: ReportFormat.allCases,
                          command: arguments.command("run"))
    }
}
