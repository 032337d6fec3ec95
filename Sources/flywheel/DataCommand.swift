import ArgumentParser
import Datasets
import Foundation

/// `flywheel data …`: build, bring in and look at datasets.
struct DataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "data",
        abstract: "Generate, import and inspect datasets (HDF5, see docs/results-schema.md).",
        subcommands: [GenerateCommand.self, ImportCommand.self, InspectCommand.self])
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
        guard !FileManager.default.fileExists(atPath: out) else {
            throw ValidationError("\(out) already exists; choose another --out or remove it first.")
        }
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

/// Parses "train=60,val=20,test=100,pool=200" (missing splits count 0).
func parseSplitCounts(_ text: String) throws -> SplitCounts {
    var counts = SplitCounts(train: 0, validation: 0, test: 0, pool: 0)
    for part in text.split(separator: ",") {
        let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
        guard pair.count == 2, let split = Split(name: pair[0]), let value = Int(pair[1]), value >= 0 else {
            throw ValidationError("--per-class: expected split=count with split train, val, test or pool and count ≥ 0, got '\(part)'.")
        }
        switch split {
        case .train: counts.train = value
        case .validation: counts.validation = value
        case .test: counts.test = value
        case .pool: counts.pool = value
        }
    }
    return counts
}
