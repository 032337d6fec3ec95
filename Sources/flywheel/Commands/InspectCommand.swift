import ArgumentParser
import Datasets
import Foundation

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
