import ArgumentParser
import Curation
import Datasets
import Foundation
import Reports

/// `flywheel data anchoring DATASET.h5 REVIEW.csv`.
struct AnchoringCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "anchoring",
        abstract: "Measure whether seeing the model's suggestion changed what a reviewer picked.",
        discussion: """
            Reads a review saved from a blind-half sheet (flywheel data review-sheet --blind-half), whose rows say \
            whether the suggestion was shown, and compares the two halves: how often the reviewer picked the \
            model's suggestion when they saw it and when they did not (the anchoring, with Newcombe's 95% interval \
            and Fisher's exact p), and, on rows whose true label the dataset holds, how often they picked the truth, \
            a wrong suggestion and a right one. Rows left unreviewed are left out. The finding: anchored (the 95% \
            interval above 0), contrary (below 0), within ±margin (the 90% interval inside it) or inconclusive, with \
            the smallest anchoring these rows would find with 80% power.

            Example:
              flywheel data anchoring steel.h5 review.csv --margin 0.1 --out anchoring.md
            """)

    @Argument(help: "Dataset HDF5 file the review was made for.")
    var dataset: String

    @Argument(help: "Review CSV saved from a blind-half review sheet.")
    var review: String

    @Option(help: "Equivalence margin on the anchoring, a share (0.1: ten points); fix it before the review.")
    var margin = 0.1

    @Option(help: "Also write the report to this markdown file (must not exist).")
    var out: String?

    func validate() throws {
        guard margin > 0, margin < 1 else { throw ValidationError("--margin must lie in (0, 1), got \(margin).") }
    }

    func run() throws {
        if let out { try requireNewOutputFile(out) }
        let data = try Dataset.load(from: dataset)
        let anchoring = try Anchoring(review: try ReviewFile.rows(in: review, for: data), of: data, margin: margin, file: review)
        let report = AnchoringMarkdown.render(anchoring, review: review)
        print(report, terminator: "")
        if let out { try report.write(toFile: out, atomically: true, encoding: .utf8) }
    }
}
