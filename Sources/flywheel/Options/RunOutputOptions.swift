import ArgumentParser
import Harness
import Reports

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
