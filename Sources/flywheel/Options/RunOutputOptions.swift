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
    func localLauncher(results: String, jobs: Int, threads: Int?) -> LocalLauncher {
        var launcher = LocalLauncher(resultsRoot: results)
        launcher.jobs = jobs
        launcher.threadsPerJob = threads
        launcher.fresh = fresh
        launcher.verbose = verbose
        return launcher
    }

    /// A local launcher for an experiment's run arguments.
    func localLauncher(for arguments: ExperimentArguments) -> LocalLauncher {
        localLauncher(results: arguments.results, jobs: arguments.jobs, threads: arguments.threads)
    }

    /// Writes and prints the reports of a run, says what is still missing, and exits 1 when a trial failed.
    func report(_ records: [TrialRecord], missing: [String], of config: ExperimentConfig, in results: String, formats: [ReportFormat],
                command: String) throws {
        let folder = results + "/" + config.name
        try ReportWriter.write(records, formats: formats, folder: folder, merged: folder + ".h5", notebookFolder: notebooks, command: command).show()
        if !missing.isEmpty { print("\(missing.count) trial(s) not run yet; run the same command again to finish them") }
        if records.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }

    /// Launches `config`; on a terminal a live status line follows a local run. Prints what a
    /// scheduler was handed.
    func launching(_ config: ExperimentConfig, with launcher: any Launcher) throws -> Launch {
        guard var local = launcher as? LocalLauncher else {
            let launch = try launcher.launch(config)
            if case .handedOver(let lines) = launch { lines.forEach { print($0) } }
            return launch
        }
        let statusLine = RunStatusLine(enabled: !quiet)
        let quiet = self.quiet
        local.log = { line in if !quiet || line.hasPrefix("warning") { statusLine.print(line) } }
        local.status = { statusLine.show($0) }
        defer { statusLine.finish() }
        return try local.launch(config)
    }
}

extension ReportWriter.Written {
    /// Prints the report and the files written.
    func show() {
        print(markdown)
        print("wrote " + files.joined(separator: ", "))
    }
}
