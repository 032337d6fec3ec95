import ArgumentParser
import Curation
import Datasets
import Foundation

/// `flywheel data spot-check DATASET.h5 SPOT-CHECK.csv [--flags N]`.
struct SpotCheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spot-check",
        abstract: "From a person's check of a random sample of the flags, estimate how many flags are label errors.",
        discussion: """
            flywheel audit writes spot-check.csv: a random sample of the labels it flags (30, or all when fewer), \
            in random order. A person fills in corrected_label on every row — the label as given where it is right \
            (flywheel data review-sheet writes a page to do it in a browser). This command counts the rows whose \
            label the reviewer changed: the share of the flags that are label errors, with its Wilson 95% interval, \
            and, with --flags, how many of all the flags that makes. Where few flags are wrong, a review of all of \
            them would change few labels, and the audit's "drop all flagged" estimate measures the removal of hard \
            images labelled right, not what a review is worth.

            Example:
              flywheel data spot-check steel.h5 steel-audit/spot-check.csv --flags 318
            """)

    @Argument(help: "Dataset HDF5 file the audit ran on.")
    var dataset: String

    @Argument(help: "The audit's spot-check.csv with corrected_label filled in (a random sample of the flags, not the top of review.csv).")
    var review: String

    @Option(help: "How many labels the audit flagged in all (review.csv's rows), to scale the share up.")
    var flags: Int?

    func run() throws {
        let data = try Dataset.load(from: dataset)
        let check = SpotCheck(rows: try ReviewFile.rows(in: review, for: data), of: data)
        guard check.reviewed > 0 else {
            throw CurationError.invalidInput("\(review): no row has corrected_label filled in; expected the reviewer's label on each row (the label as given where it is right)")
        }
        if let flags, flags < check.sampled {
            throw CurationError.invalidInput("--flags \(flags) is fewer than the \(check.sampled) rows of \(review); expected the number of labels the audit flagged")
        }
        print(report(check), terminator: "")
    }

    private func report(_ check: SpotCheck) -> String {
        let (lower, upper) = check.share.interval(z: ProportionDifference.z95)
        var lines = [String(format: "%@: %d of %d sampled flags reviewed; %d labels found wrong: %.0f%% [%.0f, %.0f] (Wilson 95%%).",
                            review, check.reviewed, check.sampled, check.wrong, 100 * check.share.value, 100 * lower, 100 * upper)]
        if check.reviewed < check.sampled {
            let left = check.sampled - check.reviewed
            lines.append("\(left) \(left == 1 ? "row" : "rows") left unreviewed \(left == 1 ? "is" : "are") left out; if skipped for being hard, the share is biased.")
        }
        if let flags {
            let errors = check.errors(among: flags)
            lines.append(String(format: "Of the %d flags, about %.0f [%.0f, %.0f] are label errors (the interval scaled up, without a finite-population correction).",
                                flags, errors.estimate, errors.lower, errors.upper))
        }
        lines.append("Few errors among the flags mean a review would change few labels, whatever the audit's \"drop all flagged\" estimate gained by removing them.")
        return lines.joined(separator: "\n") + "\n"
    }
}
