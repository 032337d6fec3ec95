import ArgumentParser
import Harness
import Reports
import Store

/// What `flywheel run` and `flywheel reproduce` share: starting over, where notebooks go, and how
/// much to print.
struct RunOutputOptions: ParsableArguments {
    @Flag(help: "Move earlier results aside and start over.")
    var fresh = false

    @Option(help: "Where the exported notebooks go.")
    var notebooks = "notebooks-export"

    @Flag(help: "Print only errors and the tables.")
    var quiet = false

    @Flag(help: "Also log every epoch of every trial.")
    var verbose = false

    /// A launcher that runs trials on this machine into `results/NAME/`, logging as these options say.
    func localLauncher(results: String, training: TrainingJobs) -> LocalLauncher {
        var launcher = LocalLauncher(resultsRoot: results)
        launcher.jobs = training.jobs
        launcher.threadsPerJob = training.threadsPerJob
        launcher.fresh = fresh
        launcher.verbose = verbose
        return launcher
    }

    /// A local launcher for an experiment's run arguments.
    func localLauncher(for arguments: ExperimentArguments) -> LocalLauncher {
        localLauncher(results: arguments.results, training: arguments.training)
    }

    /// Writes and prints the reports of what finished (nothing when nothing did), says what is
    /// left, and ends with exit code 128 + the signal when one stopped the run, 1 when a trial
    /// failed or could not run.
    func report(_ records: [TrialRecord], missing: [String], interruptedBy signal: Int32?, of config: ExperimentConfig, in results: String,
                formats: [ReportFormat], command: String) throws {
        let folder = results + "/" + config.name
        if records.isEmpty {
            print("no trial of \(config.name) has finished yet")
        } else {
            try ReportWriter.write(records, formats: formats, folder: folder, merged: folder + ".h5", notebookFolder: notebooks, command: command).show()
        }
        if let signal {
            print("interrupted: \(records.count) trial(s) finished, \(missing.count) left; run `\(command)` again to finish them")
            throw ExitCode(128 + signal)
        }
        if !missing.isEmpty {
            print("\(missing.count) trial(s) could not run (see the lines above); run `\(command)` again to retry them")
            throw ExitCode(1)
        }
        if records.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }

    /// Launches `config`, observed as `observing` says. Prints what a scheduler was handed.
    func launching(_ config: ExperimentConfig, with launcher: any Launcher) throws -> Launch {
        try observing { observer in
            let launch = try launcher.launch(config, observer: observer)
            if case .handedOver(let lines) = launch { lines.forEach { print($0) } }
            return launch
        }
    }

    /// Runs a suite of experiments with `launcher` (`SuiteRunner`), two side by side (so the cores
    /// one leaves idle between its rounds go to the other; each trial runs as it would alone),
    /// reporting each in order as it completes; an experiment with trials left ends the command
    /// with exit code 1 and says how to finish. Each item carries an experiment (a project of Ng's
    /// table, a claim's condition).
    func runningSuite<Item>(_ items: [Item], config: (Item) -> ExperimentConfig, launcher: any Launcher,
                            report: (Item, [TrialRecord]) throws -> Void) throws -> [(item: Item, records: [TrialRecord])] {
        do {
            return try observing { observer in
                var suite = SuiteRunner(launcher: launcher, observer: observer)
                suite.sideBySide = Self.experimentsSideBySide
                return try suite.run(items, config: config, report: report)
            }
        } catch let error as SuiteError {
            print(error)
            throw ExitCode(error.exitCode)
        }
    }

    /// Experiments a suite runs at once: two keep two cores busy while one waits for a round.
    static let experimentsSideBySide = 2

    /// Runs `body` with an observer that prints log lines (only warnings with --quiet) and, on a
    /// terminal, keeps a live status line under them while trials run here.
    func observing<T>(_ body: (LaunchObserver) throws -> T) rethrows -> T {
        let statusLine = RunStatusLine(enabled: !quiet)
        let quiet = self.quiet
        defer { statusLine.finish() }
        return try body(LaunchObserver(log: { line in if !quiet || line.hasPrefix("warning") { statusLine.print(line) } },
                                       status: { statusLine.show($0) }))
    }
}

extension ReportWriter.Written {
    /// Prints the report and the files written.
    func show() {
        print(markdown)
        print("wrote " + files.joined(separator: ", "))
    }
}
