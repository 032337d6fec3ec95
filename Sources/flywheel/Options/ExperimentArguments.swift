import ArgumentParser

/// The experiment file, its overrides and where and how its trials run: what `run` and
/// `calibrate` share.
struct ExperimentArguments: ParsableArguments {
    @Argument(help: "Experiment file (YAML), see docs/experiments.md.")
    var experiment: String

    @Argument(help: "Overrides, key.path=value (values in YAML).")
    var overrides: [String] = []

    @OptionGroup var training: TrainingJobs

    @Option(help: "Results folder.")
    var results = "results"

    /// The command line that reproduces the run, `flywheel SUBCOMMAND EXPERIMENT OVERRIDES…`.
    func command(_ subcommand: String) -> String { (["flywheel", subcommand, experiment] + overrides).joined(separator: " ") }
}
