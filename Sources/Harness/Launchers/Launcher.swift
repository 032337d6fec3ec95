import Store

/// Where an experiment's trials run (`flywheel run --launcher local|slurm`). Every launcher runs
/// the same plan with the same trial ids, so results from any of them merge into one report.
public protocol Launcher {
    /// Runs `config`'s plan here, or hands it to a scheduler.
    func launch(_ config: ExperimentConfig) throws -> Launch
}

/// What a launch did.
public enum Launch {
    /// The trials ran here: every verified record of the plan (earlier ones included) and the
    /// ids still missing.
    case ran(records: [TrialRecord], missing: [String])
    /// The trials went to a scheduler; the lines say where, and how to follow up.
    case handedOver([String])
}

/// The launchers `--launcher` can name.
public enum LauncherKind: String, Sendable, CaseIterable {
    case local, slurm
}
