import Store

/// Where an experiment's trials run (`flywheel run --launcher local|slurm`). Every launcher runs
/// the same plan with the same trial ids, so results from any of them merge into one report.
public protocol Launcher {
    /// Runs `config`'s plan here, or hands it to a scheduler, telling `observer` what happens.
    func launch(_ config: ExperimentConfig, observer: LaunchObserver) throws -> Launch

    /// This launcher for launches a suite starts side by side in one process
    /// (`SuiteRunner.sideBySide`); by default itself.
    func sharingCores() -> any Launcher
}

extension Launcher {
    public func sharingCores() -> any Launcher { self }
}

/// What a launch tells whoever started it: log lines (a trial finished, a warning) and, for
/// trials running here, a live status (what each job is doing, how many are done).
public struct LaunchObserver: Sendable {
    public var log: @Sendable (String) -> Void
    public var status: @Sendable (RunStatus) -> Void

    public init(log: @escaping @Sendable (String) -> Void = { print($0) }, status: @escaping @Sendable (RunStatus) -> Void = { _ in }) {
        self.log = log; self.status = status
    }
}

/// What a launch did.
public enum Launch {
    /// The trials ran here: every verified record of the plan (earlier ones included), the ids
    /// still missing, and the signal that stopped the run early (SIGINT), if one did.
    case ran(records: [TrialRecord], missing: [String], interruptedBy: Int32?)
    /// The trials went to a scheduler; the lines say where, and how to follow up.
    case handedOver([String])
}

/// The launchers `--launcher` can name.
public enum LauncherKind: String, Sendable, CaseIterable {
    case local, slurm
}
