import ArgumentParser
import Curation
import Datasets
import Foundation
import Reports

/// `flywheel data review-sheet DATASET.h5 REVIEW.csv --out review.html [--blind-half SEED]`.
struct ReviewSheetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review-sheet",
        abstract: "Write the page a person reviews flagged labels in, from a review CSV; optionally one that measures anchoring.",
        discussion: """
            Takes a review CSV (from flywheel audit or flywheel label-issues) and writes a single HTML page: each \
            image as it was before import, its given and suggested label, a menu to pick the right one and a button \
            that saves the review CSV for flywheel data apply-review (the sheet flywheel audit writes).

            --blind-half SEED hides the model's suggestion on half of the rows, drawn at random with SEED (of each \
            two rows in order, one shown and one hidden), so that the review also measures whether seeing the \
            suggestion changes what the reviewer picks: flywheel data anchoring reads the saved review.

            Examples:
              flywheel data review-sheet steel.h5 audit/review.csv --out sheet.html
              flywheel data review-sheet steel.h5 audit/review.csv --out blind.html --blind-half 7
            """)

    @Argument(help: "Dataset HDF5 file the review was made for.")
    var dataset: String

    @Argument(help: "Review CSV (from flywheel audit or flywheel label-issues).")
    var review: String

    @Option(help: "The page to write (must not exist).")
    var out: String

    @Option(help: "Hide the suggestion on a random half of the rows, drawn with this seed, to measure anchoring.")
    var blindHalf: UInt64?

    func run() throws {
        try requireNewOutputFile(out)
        let data = try Dataset.load(from: dataset)
        let rows = try ReviewFile.rows(in: review, for: data)
        let items = rows.map { ReviewFile.Item(sample: $0.sample, suggested: Int($0.suggested), confidence: $0.confidence) }
        let images = Dictionary(uniqueKeysWithValues: rows.map { ($0.sample, $0.image) })
        let shown = blindHalf.map { BlindHalf.shown(rows: rows.count, seed: $0) }
        let title = "Flagged labels of \(dataset)" + (blindHalf == nil ? "" : " (suggestion hidden on half)")
        try ReviewSheet.html(items, of: data, title: title, imageColumn: { images[$0] ?? "" }, shown: shown)
            .write(toFile: out, atomically: true, encoding: .utf8)
        let hidden = shown.map { ", the suggestion hidden on \($0.filter { !$0 }.count)" } ?? ""
        print("wrote \(out): \(rows.count) rows\(hidden)")
    }
}
