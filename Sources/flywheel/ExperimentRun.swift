import Dispatch
import Foundation
import Harness
import Store

/// Runs `config` locally into `results/NAME/trials/`, stopping cleanly on Ctrl-C (trials in
/// flight finish, no new ones start). Returns every verified record and the ids still missing.
func runExperiment(_ config: ExperimentConfig, results: String, jobs: Int, threads: Int?, fresh: Bool, quiet: Bool)
    throws -> (records: [TrialRecord], missing: [String]) {
    let runner = ExperimentRunner(config: config, resultsFolder: results + "/" + config.name, jobs: jobs, threadsPerJob: threads,
                                  log: { line in if !quiet || line.hasPrefix("warning") { print(line) } })
    if fresh { try runner.moveOldResultsAside() }
    signal(SIGINT, SIG_IGN)
    let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
    interrupt.setEventHandler {
        print("interrupted: finishing the trials in flight, starting no more")
        runner.stop()
    }
    interrupt.resume()
    defer { interrupt.cancel() }
    return try runner.run()
}
