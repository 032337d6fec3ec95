import ArgumentParser

/// The `flywheel` command: model-centric versus data-centric ablations on a CPU conv-net engine.
struct Flywheel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flywheel",
        abstract: "Does it pay more to improve the model or the data? Controlled ablations on a CPU conv-net engine.",
        subcommands: [ReproduceCommand.self, ClaimsCommand.self, CalibrateCommand.self, RunCommand.self, RunTrialCommand.self, MergeCommand.self, LabelIssuesCommand.self, AuditCommand.self, AuditCheckCommand.self, ShowCommand.self, ReportCommand.self, TrainCommand.self, DataCommand.self, BenchCommand.self])
}
