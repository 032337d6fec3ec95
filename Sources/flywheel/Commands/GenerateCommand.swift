import ArgumentParser
import Datasets
import Foundation

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

    @OptionGroup var output: DatasetOutput

    @Option(help: "Images per class and split, e.g. train=60,val=20,test=100,pool=200.")
    var perClass = "train=60,val=20,test=100,pool=0"

    @Option(help: "Seed of the generator.")
    var seed: UInt64 = 1

    func run() throws {
        let counts = try parseSplitCounts(perClass)
        try requireNewOutputFile(output.out)
        let dataset = try Scenarios.named(scenario).generate(imageSize: output.size, perClass: counts, seed: seed)
        try dataset.save(to: output.out)
        print("wrote \(output.out): \(dataset.count) images of \(output.size)×\(output.size), \(dataset.classNames.count) classes")
    }
}
