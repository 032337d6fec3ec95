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

    @Option(help: "Model for the cross-validation.")
    var model = Architecture.cnnSmall

    @Option(help: "Cross-validation folds.")
    var folds = 5

    @Option(help: "Epochs per fold.")
    var epochs = 15

    @Option(help: "Which split to check: train, val or pool.")
    var split = "train"

    @Option(help: "Which samples confident learning flags (cleanlab's filter_by).")
    var filterBy = LabelIssueFilter.pruneByNoiseRate

    @Option(help: "How the review ranks the flags, most likely wrong first.")
    var rankBy = LabelQualityScore.selfConfidence

    @Option(help: "Seed of the folds, initialisation and shuffling.")
    var seed: UInt64 = 1

    @Option(help: "Engine threads.")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Review CSV to write (must not exist).")
    var out = "review.csv"

    func validate() throws {
        guard (dataset == nil) == (labels != nil && predProbs != nil), (labels == nil) == (predProbs == nil) else {
            throw ValidationError("Give a dataset file, or both --labels and --pred-probs.")
        }
        guard Split(name: split) != nil else { throw ValidationError("--split: expected train, val or pool, got '\(split)'.") }
    }

    func run() throws {
        try requireNewOutputFile(out)
        let finder = LabelIssueFinder(filter: filterBy)
        let score = rankBy
        if let labels, let predProbs {
            let (given, probabilities) = try LabelIssueInputs.read(labels: labels, probabilities: predProbs)
            let issues = try finder.findLabelIssues(labels: given, probabilities: probabilities)
            let ranked = issues.ranked(by: score, labels: given, probabilities: probabilities)
            try ReviewFile.write(items(ranked, probabilities, rows: Array(given.indices)), given: { given[$0] },
                                 classNames: (0..<probabilities.classes).map(String.init), images: nil, to: out)
            report(issues, flagged: ranked.count, of: given.count, noise: nil)
        } else {
            try checkDataset(finder, score)
        }
        print("wrote \(out)")
    }

    private func checkDataset(_ finder: LabelIssueFinder, _ score: LabelQualityScore) throws {
        let data = try Dataset.load(from: dataset!)
        let samples = data.indices(in: Split(name: split)!)
        Parallelism.set(threads: threads)
        BLASThreads.set(1)
        var training = TrainingConfig()
        training.epochs = epochs
        let fixed = FixedModel(architecture: model, training: training)
        let (probabilities, effort) = try CrossValidation(folds: folds, seed: seed).outOfSampleProbabilities(model: fixed, data: data, samples: samples)
        let given = samples.map { Int(data.delivered[$0]) }
        let issues = try finder.findLabelIssues(labels: given, probabilities: probabilities)
        let ranked = issues.ranked(by: score, labels: given, probabilities: probabilities)
        try ReviewFile.write(items(ranked, probabilities, rows: samples), of: data, to: out)
        let noise = data.noiseMask
        let known = samples.allSatisfy { data.gold[$0] >= 0 }
        report(issues, flagged: ranked.count, of: samples.count, noise: known ? FlagScore(flagged: ranked, noiseMask: samples.map { noise[$0] }) : nil)
        print(String(format: "cross-validation: %d trainings, %.2f TFLOP", effort.trainings, effort.trainFLOPs / 1e12))
    }

    /// Review rows for `ranked` row positions; `rows[i]` is the sample id of row i.
    private func items(_ ranked: [Int], _ p: PredictedProbabilities, rows: [Int]) -> [ReviewFile.Item] {
        ranked.map { row in
            let suggested = p.predictedClass(row)
            return ReviewFile.Item(sample: rows[row], suggested: suggested, confidence: p[row, suggested])
        }
    }

    private func report(_ issues: LabelIssues, flagged: Int, of total: Int, noise score: FlagScore?) {
        print("\(flagged) of \(total) samples flagged (filter_by=\(filterBy.rawValue)); estimated noise rate \(String(format: "%.1f%%", 100 * issues.noise.noiseRate))")
        print("estimated noise matrix P(given | true), rows given, columns true:")
        for row in issues.noise.noiseMatrix { print("  " + row.map { String(format: "%.3f", $0) }.joined(separator: " ")) }
        if let score {
            print(String(format: "against the known true labels: precision %.3f, recall %.3f, F1 %.3f (%d labels wrong)",
                         score.precision, score.recall, score.f1, score.trulyWrong))
        }
    }
}

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
