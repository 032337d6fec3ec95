import Dispatch
import Foundation
import Harness
import Store

/// Runs `config` locally into `results/NAME/trials/`, stopping cleanly on Ctrl-C (trials in
/// flight finish, no new ones start). Returns every verified record and the ids still missing.
/// On a terminal a live status line shows progress; `verbose` logs every epoch.
func runExperiment(_ config: ExperimentConfig, results: String, jobs: Int, threads: Int?, fresh: Bool, quiet: Bool, verbose: Bool = false)
    throws -> (records: [TrialRecord], missing: [String]) {
    let statusLine = RunStatusLine(enabled: !quiet)
    let runner = ExperimentRunner(config: config, resultsFolder: results + "/" + config.name, jobs: jobs, threadsPerJob: threads, verbose: verbose,
                                  log: { line in if !quiet || line.hasPrefix("warning") { statusLine.print(line) } },
                                  status: { statusLine.show($0) })
    if fresh { try runner.moveOldResultsAside() }
    signal(SIGINT, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler {
        print("interrupted: finishing the trials in flight, starting no more")
        runner.stop()
    }
    interrupt.resume()
    defer { interrupt.cancel() }
    let outcome = try runner.run()
    statusLine.finish()
    return outcome
}
