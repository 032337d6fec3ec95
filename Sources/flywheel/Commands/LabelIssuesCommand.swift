import ArgumentParser
import Curation
import Datasets
import Engine
import Foundation

/// `flywheel label-issues`: confident learning on a dataset file, or on labels and probabilities from elsewhere.
struct LabelIssuesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "label-issues",
        abstract: "Find likely label errors with confident learning and write a review CSV.",
        discussion: """
            With a dataset file: trains the model --folds times (stratified K-fold over the --split samples) so every \
            sample gets out-of-sample probabilities, then flags issues as cleanlab's find_label_issues does with the \
            same --filter-by. With --labels and --pred-probs: flags from labels and probabilities computed anywhere \
            (one label per line; one row of class probabilities per line). Either way writes --out, a review CSV \
            ranked most-likely-wrong first (id, image, given_label, suggested_label, confidence, corrected_label): \
            fill in corrected_label and bring it back with `flywheel data apply-review`.

            Examples:
              flywheel label-issues steel.h5 --folds 5 --out review.csv
              flywheel label-issues --labels labels.csv --pred-probs probs.csv --filter-by both --out review.csv
            """)

    @Argument(help: "Dataset HDF5 file (omit with --labels and --pred-probs).")
    var dataset: String?

    @Option(help: "Labels CSV (one class index per line), with --pred-probs.")
    var labels: String?

    @Option(help: "Predicted probabilities CSV (one row of K probabilities per line), with --labels.")
    var predProbs: String?

    @OptionGroup var recipe: RecipeOptions

    @Option(help: "Cross-validation folds.")
    var folds = 5

    @Option(help: "Which split to check.")
    var split = Split.train

    @Option(help: "Which samples confident learning flags (cleanlab's filter_by).")
    var filterBy = LabelIssueFilter.pruneByNoiseRate

    @Option(help: "How the review ranks the flags, most likely wrong first.")
    var rankBy = LabelQualityScore.selfConfidence

    @OptionGroup var setup: SeedAndThreads

    @Option(help: "Review CSV to write (must not exist).")
    var out = "review.csv"

    func validate() throws {
        guard (dataset == nil) == (labels != nil && predProbs != nil), (labels == nil) == (predProbs == nil) else {
            throw ValidationError("Give a dataset file, or both --labels and --pred-probs.")
        }
    }

    func run() throws {
        try requireNewOutputFile(out)
        let search = LabelIssueSearch(finder: LabelIssueFinder(filter: filterBy), rankBy: rankBy)
        if let labels, let predProbs {
            let (given, probabilities) = try LabelIssueInputs.read(labels: labels, probabilities: predProbs)
            let result = try search.search(labels: given, probabilities: probabilities, samples: Array(given.indices))
            try ReviewFile.write(items(result), given: { given[$0] }, classNames: (0..<probabilities.classes).map(String.init), images: nil, to: out)
            report(result)
        } else {
            let data = try Dataset.load(from: dataset!)
            Parallelism.set(threads: setup.threads)
            BLASThreads.set(1)
            let crossValidation = try CrossValidation(folds: folds, seed: setup.seed)
            let (result, _) = try search.search(in: data, samples: data.indices(in: split), recipe: recipe.recipe, crossValidation: crossValidation)
            try ReviewFile.write(items(result), of: data, to: out)
            report(result)
            print(String(format: "cross-validation: %d trainings, %.2f TFLOP", result.effort.trainings, result.effort.trainFLOPs / 1e12))
        }
        print("wrote \(out)")
    }

    /// Review rows, most likely wrong first.
    private func items(_ result: LabelIssueSearch.Result) -> [ReviewFile.Item] {
        let suggestions = result.suggestions
        return result.ranked.map { ReviewFile.Item(sample: $0, suggested: suggestions[$0]!.label, confidence: suggestions[$0]!.probability) }
    }

    private func report(_ result: LabelIssueSearch.Result) {
        let issues = result.issues
        print("\(result.ranked.count) of \(result.samples.count) samples flagged (filter_by=\(filterBy.rawValue)); estimated noise rate \(String(format: "%.1f%%", 100 * issues.noise.noiseRate))")
        print("estimated noise matrix P(given | true), rows given, columns true:")
        for row in issues.noise.noiseMatrix { print("  " + row.map { String(format: "%.3f", $0) }.joined(separator: " ")) }
        if let score = result.flagScore {
            print("against the known true labels: " + score.text(decimals: 3, f1: true))
        }
    }
}
