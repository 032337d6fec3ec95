import ArgumentParser
import Datasets
import Foundation

/// `flywheel data …`: build, bring in and look at datasets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate, import and inspect datasets (HDF5, see docs/results-schema.md).",
        subcommands: [GenerateCommand.self, ImportCommand.self, InspectCommand.self, ApplyReviewCommand.self])
}

/// `flywheel data generate SCENARIO --out FILE`.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Draw a built-in scenario into a dataset file.",
        discussion: """
            Scenarios: \(Scenarios.all.map(\.name).joined(separator: ", ")). Labels as delivered equal the gold \
            labels; experiments add label noise on top.

            Example:
              flywheel data generate steel-defects --out steel.h5 --per-class train=60,val=20,test=100,pool=200 --seed 1
            """)

    @Argument(help: "Scenario name.")
    var scenario: String

    @Option(help: "Output HDF5 file (must not exist).")
    var out: String

    @Option(help: "Image size in pixels (square).")
    var size = 64

    @Option(help: "Images per class and split, e.g. train=60,val=20,test=100,pool=200.")
    var perClass = "train=60,val=20,test=100,pool=0"

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    func run() throws {
        let counts = try parseSplitCounts(perClass)
        try requireNewOutputFile(out)
        let dataset = try Scenarios.named(scenario).generate(imageSize: size, perClass: counts, seed: seed)
        try dataset.save(to: out)
        print("wrote \(out): \(dataset.count) images of \(size)×\(size), \(dataset.classNames.count) classes")
    }
}

/// `flywheel data inspect FILE`.
struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Class counts per split, image size, label agreement with gold, annotators.")

    @Argument(help: "Dataset HDF5 file.")
    var file: String

    func run() throws {
        print(DatasetSummary(try Dataset.load(from: file)).report(title: file))
    }
}
