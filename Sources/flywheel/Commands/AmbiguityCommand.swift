import ArgumentParser
import Curation
import Datasets
import Engine
import Foundation
import Store

/// `flywheel data ambiguity DATASET.h5 --out SCORED.h5`: an ambiguity score per image, measured.
struct AmbiguityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ambiguity",
        abstract: "Score how ambiguous each image is (imported images have no score), from out-of-sample margins.",
        discussion: """
            Imported images carry no ambiguity score, so a simulated expert errs at its clear-image rate on every one \
            of them and an annotator's convention applies at a fixed rate (its floor, at least 0.3). This measures one: trains the model --folds \
            times on the gold labels (stratified K-fold over every image of every split), and scores each image 1 − \
            (the gap between its two largest class probabilities) from the fold model that never saw it: 0 clear, 1 a \
            coin toss between two classes, the scale of the built-in scenarios. Writes --out, the dataset with the \
            scores and a provenance entry naming the recipe; the input file is never modified. Needs a true label for \
            every image (import with --labels-are-gold). The fold models measure the images only; no experiment sees them.

            Example:
              flywheel data ambiguity neu.h5 --out neu-scored.h5 --folds 4 --model cnn-small --epochs 20
            """)

    @Argument(help: "Dataset HDF5 file.")
    var dataset: String

    @Option(help: "Output dataset file (must not exist).")
    var out: String

    @Option(help: "Cross-validation folds.")
    var folds = 4

    @OptionGroup var recipe: RecipeOptions

    @OptionGroup var setup: SeedAndThreads

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2, got \(folds).") }
    }

    func run() throws {
        try requireNewOutputFile(out)
        var data = try Dataset.load(from: dataset)
        Parallelism.set(threads: setup.threads)
        BLASThreads.set(1)
        let measure = OutOfSampleAmbiguity(crossValidation: try CrossValidation(folds: folds, seed: setup.seed), recipe: recipe.recipe)
        let (scores, effort): ([Float], Effort)
        do { (scores, effort) = try measure.scores(for: data) } catch let error as CurationError {
            throw UnscorableDataset(path: dataset, reason: "\(error)")
        }
        let replaced = data.ambiguity.contains { !$0.isNaN }
        data.ambiguity = scores
        data.provenance["ambiguity"] = measure.provenance
        try data.save(to: out)
        print("\(scores.count) images scored (\(effort.trainings) trainings, \(String(format: "%.2f", effort.trainFLOPs / 1e12)) TFLOP)"
              + (replaced ? "; the scores the file had are replaced in the output" : ""))
        print(DatasetSummary(data).ambiguityLine())
        print("wrote \(out)")
    }
}

/// The dataset cannot be scored (no truth for some image, a class smaller than the folds): exit 2.
struct UnscorableDataset: BadInput, CustomStringConvertible {
    let path: String
    let reason: String
    var description: String { "\(path): \(reason)" }
}
