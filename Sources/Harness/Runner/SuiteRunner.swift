import Store

/// Runs a suite of experiments in turn with one launcher — Ng's table (`flywheel reproduce`),
/// the article's claims (`flywheel claims`) — and hands each experiment's records to the
/// caller's reports as soon as it is complete.
public struct SuiteRunner {
    public let launcher: any Launcher
    public let observer: LaunchObserver

    public init(launcher: any Launcher, observer: LaunchObserver) {
        self.launcher = launcher; self.observer = observer
    }

    /// Launches each item's experiment (`config`), then `report`s it with the plan's records.
    /// Returns every item's records, in order; items handed to a scheduler are left out.
    /// - Throws: `SuiteError.unfinished` at the first experiment with trials still missing
    ///   (rerunning the same command finishes them), or what `report` throws.
    public func run<Item>(_ items: [Item], config: (Item) -> ExperimentConfig,
                          report: (Item, [TrialRecord]) throws -> Void) throws -> [(item: Item, records: [TrialRecord])] {
        var finished: [(item: Item, records: [TrialRecord])] = []
        for item in items {
            switch try launcher.launch(config(item), observer: observer) {
            case .handedOver(let lines): lines.forEach(observer.log)
            case .ran(let records, let missing, let signal):
                if let signal { throw SuiteError.interrupted(experiment: config(item).name, missing: missing.count, signal: signal) }
                guard missing.isEmpty else { throw SuiteError.unfinished(experiment: config(item).name, missing: missing.count) }
                try report(item, records)
                finished.append((item, records))
            }
        }
        return finished
    }
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
