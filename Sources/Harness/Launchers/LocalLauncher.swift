#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import Store

/// Runs the plan on this machine (`ExperimentRunner`), stopping cleanly on a signal (`StopSignals`).
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
    /// Trial ids of other experiments that share a results folder with the one launched (a
    /// claim's conditions): never warned about as another resolution of its trials.
    public var siblingTrials: Set<String> = []

    public init(resultsRoot: String) { self.resultsRoot = resultsRoot }

    public func launch(_ config: ExperimentConfig, observer: LaunchObserver) throws -> Launch {
        let runner = ExperimentRunner(config: config, resultsFolder: resultsRoot + "/" + config.name, jobs: jobs, threadsPerJob: threadsPerJob,
                                      verbose: verbose, log: observer.log, status: observer.status)
        runner.siblingTrials = siblingTrials
        if fresh { try runner.moveOldResultsAside() }
        let signals = StopSignals(runner)
        defer { signals.cancel() }
        let (records, missing) = try runner.run()
        return .ran(records: records, missing: missing, interruptedBy: signals.received)
    }
}

/// How a local run answers signals. Ctrl-C (SIGINT): the trials in flight finish, no new ones
/// start, and the run ends with what finished (a second Ctrl-C ends it at once, exit 130).
/// SIGTERM, which Slurm and service managers send before killing: no new trial starts and the
/// process ends at once with status 143; trial files are written atomically, so none is left half
/// written, and the trials in flight are rerun next time.
final class StopSignals: @unchecked Sendable {
    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signal: Int32?

    init(_ runner: ExperimentRunner) {
        for (number, action) in [(SIGINT, "interrupted"), (SIGTERM, "terminated")] {
            Glibc.signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            sources.append(source)
            source.setEventHandler { [unowned self, weak runner] in
                let repeated = lock.withLock { () -> Bool in defer { signal = number }; return signal != nil }
                runner?.stop()
                if number == SIGTERM || repeated {
                    FileHandle.standardError.write("\n\(action): stopping now; finished trials are kept, the trials in flight will rerun — run the same command again to finish\n".data(using: .utf8)!)
                    exit(128 + number)
                }
                FileHandle.standardError.write("\ninterrupted: finishing the trials in flight, starting no more (Ctrl-C again to stop at once)\n".data(using: .utf8)!)
            }
            source.resume()
        }
    }

    /// The signal that stopped the run, if any.
    var received: Int32? { lock.withLock { signal } }

    /// Stops listening; the default actions return.
    func cancel() {
        for source in sources { source.cancel() }
        Glibc.signal(SIGINT, SIG_DFL)
        Glibc.signal(SIGTERM, SIG_DFL)
    }
}
