import Dispatch
import Foundation
import Store

/// Runs the plan on this machine (`ExperimentRunner`), stopping cleanly on Ctrl-C: trials in
/// flight finish, no new ones start.
public struct LocalLauncher: Launcher {
    /// Where `NAME/trials/` goes.
    public var resultsRoot: String
    public var jobs = 1
    /// Engine threads per trial (nil: cores / jobs).
    public var threadsPerJob: Int?
    /// Move earlier results aside first.
    public var fresh = false
    /// Log every epoch too.
    public var verbose = false

    public init(resultsRoot: String) { self.resultsRoot = resultsRoot }

    public func launch(_ config: ExperimentConfig, observer: LaunchObserver) throws -> Launch {
        let runner = ExperimentRunner(config: config, resultsFolder: resultsRoot + "/" + config.name, jobs: jobs, threadsPerJob: threadsPerJob,
                                      verbose: verbose, log: observer.log, status: observer.status)
        if fresh { try runner.moveOldResultsAside() }
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            print("interrupted: finishing the trials in flight, starting no more")
            runner.stop()
        }
        interrupt.resume()
        defer { interrupt.cancel() }
        let (records, missing) = try runner.run()
        return .ran(records: records, missing: missing)
    }
}
