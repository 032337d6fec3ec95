import Foundation
import Store

/// Runs a suite of experiments with one launcher — Ng's table (`flywheel reproduce`), the
/// article's claims (`flywheel claims`) — and hands each experiment's records to the caller's
/// reports, in the suite's order, as soon as it and those before it are complete.
public struct SuiteRunner {
    public let launcher: any Launcher
    public let observer: LaunchObserver
    /// How many experiments are launched at once (1: in turn). Launched side by side, they go
    /// through `Launcher.sharingCores()` (a local launcher's runs share one `CoreBudget`), so the
    /// cores one experiment leaves idle between its rounds go to the next. Experiments of one name
    /// share a trials folder and run in turn, in the suite's order.
    public var sideBySide = 1

    public init(launcher: any Launcher, observer: LaunchObserver) {
        self.launcher = launcher; self.observer = observer
    }

    /// Launches each item's experiment (`config`), then `report`s it with the plan's records.
    /// Returns every item's records, in order; items handed to a scheduler are left out.
    /// - Throws: `SuiteError.unfinished` at the first experiment with trials still missing
    ///   (rerunning the same command finishes them), or what `report` throws; experiments
    ///   already running beside it finish first, and none starts after it.
    public func run<Item>(_ items: [Item], config: (Item) -> ExperimentConfig,
                          report: (Item, [TrialRecord]) throws -> Void) throws -> [(item: Item, records: [TrialRecord])] {
        let configs = items.map(config)
        let launches = sideBySide > 1 ? SideBySideLaunches(configs, launcher: launcher, observer: observer, at: sideBySide) : nil
        defer { launches?.halt() }
        var finished: [(item: Item, records: [TrialRecord])] = []
        for (index, item) in items.enumerated() {
            // Side by side, an experiment the suite halted before it started answers with the one that halted it.
            let (launched, outcome) = launches?.outcome(of: index) ?? (index, Result { try launcher.launch(configs[index], observer: observer) })
            switch try outcome.get() {
            case .handedOver(let lines): lines.forEach(observer.log)
            case .ran(let records, let missing, let signal):
                let name = configs[launched].name
                if let signal { throw SuiteError.interrupted(experiment: name, missing: missing.count, signal: signal) }
                guard missing.isEmpty else { throw SuiteError.unfinished(experiment: name, missing: missing.count) }
                try report(item, records)
                finished.append((item, records))
            }
        }
        return finished
    }
}

/// A suite's launches, `width` at a time, each on its own thread, halted by the first that does not
/// complete: the next one started is the first not yet started whose name no earlier unfinished
/// launch has (launches of one name share a trials folder, and run in the suite's order).
private final class SideBySideLaunches: @unchecked Sendable {
    private let configs: [ExperimentConfig]
    private let condition = NSCondition()
    private var outcomes: [Result<Launch, Error>?]
    private var started: [Bool]
    private var halted = false
    /// The launch that did not complete, halting the suite.
    private var haltedBy: Int?
    private let threads = DispatchGroup()

    init(_ configs: [ExperimentConfig], launcher: any Launcher, observer: LaunchObserver, at width: Int) {
        self.configs = configs
        outcomes = Array(repeating: nil, count: configs.count)
        started = Array(repeating: false, count: configs.count)
        let shared = SharedLauncher(launcher: launcher.sharingCores())
        for _ in 0..<min(width, configs.count) {
            threads.enter()
            Thread.detachNewThread { [self] in
                while let index = nextToStart() {
                    finish(index, Result { try shared.launcher.launch(configs[index], observer: observer) })
                }
                threads.leave()
            }
        }
    }

    /// Waits for launch `index` to end and returns its outcome; for one the suite halted before it
    /// started, the launch that halted it and its outcome.
    func outcome(of index: Int) -> (index: Int, outcome: Result<Launch, Error>) {
        condition.lock()
        defer { condition.unlock() }
        while outcomes[index] == nil {
            if let haltedBy, !started[index] { return (haltedBy, outcomes[haltedBy]!) }
            condition.wait()
        }
        return (index, outcomes[index]!)
    }

    /// Starts no more launches and waits for those running to end.
    func halt() {
        condition.lock()
        halted = true
        condition.broadcast()
        condition.unlock()
        threads.wait()
    }

    /// The next launch to start (nil: none left, or halted), waiting while the only ones left
    /// share a name with one running.
    private func nextToStart() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !halted {
            var namesAhead = Set<String>()
            var startable: Int?
            for index in configs.indices where outcomes[index] == nil {
                let name = configs[index].name
                if !started[index] && !namesAhead.contains(name) { startable = index; break }
                namesAhead.insert(name)
            }
            if let startable {
                started[startable] = true
                return startable
            }
            guard started.contains(false) else { return nil }
            condition.wait()
        }
        return nil
    }

    /// Keeps launch `index`'s outcome; one that failed, was interrupted or left trials missing
    /// halts the suite (the caller stops there).
    private func finish(_ index: Int, _ outcome: Result<Launch, Error>) {
        var complete = false
        if case .success(let launch) = outcome {
            if case .ran(_, let missing, let signal) = launch { complete = missing.isEmpty && signal == nil } else { complete = true }
        }
        condition.lock()
        outcomes[index] = outcome
        if !complete && haltedBy == nil { halted = true; haltedBy = index }
        condition.broadcast()
        condition.unlock()
    }
}

/// A launcher the side-by-side threads call at once: the local launcher (a value whose runs share
/// only their `CoreBudget`) and the Slurm launcher (each launch writes its own experiment's files).
private struct SharedLauncher: @unchecked Sendable {
    let launcher: any Launcher
}

/// Why a suite stopped before its tables.
public enum SuiteError: Error, CustomStringConvertible {
    /// An experiment still has trials to run (a trial that could not run).
    case unfinished(experiment: String, missing: Int)
    /// A signal stopped the suite.
    case interrupted(experiment: String, missing: Int, signal: Int32)

    public var description: String {
        switch self {
        case .unfinished(let experiment, let missing):
            "\(missing) trial(s) of \(experiment) not run; run the same command again to finish them"
        case .interrupted(let experiment, let missing, _):
            "interrupted: \(missing) trial(s) of \(experiment) left, and the experiments after it; run the same command again to finish them"
        }
    }

    /// The exit status the suite's command ends with: 128 + the signal, or 1.
    public var exitCode: Int32 {
        if case .interrupted(_, _, let signal) = self { return 128 + signal }
        return 1
    }
}
