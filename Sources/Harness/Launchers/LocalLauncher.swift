#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Engine
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
    /// Threads shared with the experiments launched beside this one (`SuiteRunner.sideBySide`);
    /// nil: each launch starts its `jobs` trials at once.
    public var budget: CoreBudget?

    public init(resultsRoot: String) { self.resultsRoot = resultsRoot }

    public func launch(_ config: ExperimentConfig, observer: LaunchObserver) throws -> Launch {
        let runner = ExperimentRunner(config: config, resultsFolder: resultsRoot + "/" + config.name, jobs: jobs, threadsPerJob: threadsPerJob,
                                      verbose: verbose, log: observer.log, status: observer.status)
        runner.siblingTrials = siblingTrials
        runner.budget = budget
        if fresh { try runner.moveOldResultsAside() }
        StopSignals.shared.watch(runner)
        let run = Result { try runner.run() }
        let signal = StopSignals.shared.endWatch(runner)   // also when the run failed: a signal after it ends the process at once
        let (records, missing) = try run.get()
        return .ran(records: records, missing: missing, interruptedBy: signal)
    }

    /// A copy whose launches share one `CoreBudget` of `jobs` × threads per job: side by side,
    /// they never run more trials at once than one launch alone.
    public func sharingCores() -> any Launcher {
        var shared = self
        shared.budget = CoreBudget(capacity: jobs * (threadsPerJob ?? Parallelism.threads(sharingCoresAmong: jobs)))
        return shared
    }
}

/// How a local run answers signals. Ctrl-C (SIGINT): the trials in flight finish, no new ones
/// start, and the run ends with what finished (a second Ctrl-C ends it at once, exit 130).
/// SIGTERM, which Slurm and service managers send before killing: no new trial starts and the
/// process ends at once with status 143; trial files are written atomically, so none is left half
/// written, and the trials in flight are rerun next time. Between runs (a suite writing one
/// experiment's report before launching the next) either signal ends the process at once, as
/// the default action would.
///
/// One listener for the whole process, installed on first use and never removed: libdispatch on
/// Linux installs its own handler for a signal once per process, so a second signal source made
/// after the disposition was reset would never fire — every experiment of a suite after the first
/// would ignore Ctrl-C and SIGTERM. It stops every run it watches (a suite may run several side
/// by side), and a run that starts after Ctrl-C while others still finish theirs starts no trial.
final class StopSignals: @unchecked Sendable {
    /// The process's listener.
    static let shared = StopSignals()

    private var sources: [DispatchSourceSignal] = []
    private let lock = NSLock()
    private var runners: [ObjectIdentifier: ExperimentRunner] = [:]
    private var signal: Int32?

    private init() {
        for number in [SIGINT, SIGTERM] {
            Glibc.signal(number, SIG_IGN)   // delivered to the source, not to the default action
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [unowned self] in received(number) }
            source.resume()
            sources.append(source)
        }
    }

    /// Stops `runner` on the next signal (at once if one came while other runs still finish), until `endWatch`.
    func watch(_ runner: ExperimentRunner) {
        let stopNow = lock.withLock { () -> Bool in runners[ObjectIdentifier(runner)] = runner; return signal != nil }
        if stopNow { runner.stop() }
    }

    /// Stops watching `runner`; returns the signal that stopped the runs, if any (forgotten once
    /// no run is watched).
    func endWatch(_ runner: ExperimentRunner) -> Int32? {
        lock.withLock {
            runners[ObjectIdentifier(runner)] = nil
            defer { if runners.isEmpty { signal = nil } }
            return signal
        }
    }

    private func received(_ number: Int32) {
        let (runners, repeated) = lock.withLock { () -> ([ExperimentRunner], Bool) in
            defer { signal = number }
            return (Array(self.runners.values), signal != nil)
        }
        guard !runners.isEmpty, number == SIGINT, !repeated else {
            let action = number == SIGINT ? "interrupted" : "terminated"
            FileHandle.standardError.write("\n\(action): stopping now; finished trials are kept, the trials in flight will rerun — run the same command again to finish\n".data(using: .utf8)!)
            exit(128 + number)
        }
        runners.forEach { $0.stop() }
        FileHandle.standardError.write("\ninterrupted: finishing the trials in flight, starting no more (Ctrl-C again to stop at once)\n".data(using: .utf8)!)
    }
}
