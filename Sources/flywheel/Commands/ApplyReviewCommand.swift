import ArgumentParser
import Curation
import Datasets
import Foundation

/// `flywheel data apply-review DATASET.h5 REVIEW.csv`.
struct ApplyReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply-review",
        abstract: "Bring a person's corrections (a filled-in review CSV) back into a dataset.",
        discussion: """
            Validates every row (unknown ids, unknown classes, duplicate ids and a given_label that does not match \
            the dataset are errors naming the line), then writes --out with the corrected labels; the labels as they \
            were stay in /labels/before_review. The input file is never modified.

            Example:
              flywheel data apply-review steel.h5 review.csv --out steel-reviewed.h5
            """)

    @Argument(help: "Dataset HDF5 file.")
    var dataset: String

    @Argument(help: "Review CSV (from flywheel label-issues) with corrected_label filled in.")
    var review: String

    @Option(help: "Output dataset file (default: DATASET with -reviewed before .h5); must not exist.")
    var out: String?

    func run() throws {
        let target = out ?? ((dataset as NSString).deletingPathExtension + "-reviewed.h5")
        try requireNewOutputFile(target)
        let (corrected, reviewed, changed) = try ReviewFile.apply(review, to: try Dataset.load(from: dataset))
        try corrected.save(to: target)
        print("\(reviewed) rows reviewed, \(changed) labels changed; wrote \(target)")
    }
}
