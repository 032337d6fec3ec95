import ArgumentParser

/// `flywheel data …`: build, bring in and look at datasets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate, import and inspect datasets (HDF5, see docs/results-schema.md).",
        subcommands: [GenerateCommand.self, ImportCommand.self, InspectCommand.self, AmbiguityCommand.self, ApplyReviewCommand.self, ReviewSheetCommand.self, AnchoringCommand.self, SpotCheckCommand.self, ImportBenchCommand.self])
}
