import ArgumentParser
import Datasets
import Engine
import Foundation
import Harness
import Store

/// `flywheel train DATASET.h5`: one model, one dataset, one result.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one model on a dataset file and score it on the test split.",
        discussion: """
            Trains on the train split (labels as delivered), reports validation accuracy each epoch, and \
            scores the final model on the test split against gold labels (delivered labels where gold is \
            unknown). With --out, writes the trial as an HDF5 results file (docs/results-schema.md).

            Example:
              flywheel data generate steel-defects --out steel.h5 --per-class train=100,val=30,test=100
              flywheel train steel.h5 --model cnn-small --epochs 20 --seed 1
            """)

    @Argument(help: "Dataset HDF5 file.")
    var dataset: String

    @OptionGroup var recipe: RecipeOptions

    @OptionGroup var setup: SeedAndThreads

    @Option(help: "Write the trial to this HDF5 file (must not exist).")
    var out: String?

    @Flag(help: "Print nothing but the final line.")
    var quiet = false

    func run() throws {
        if let out { try requireNewOutputFile(out) }
        let data = try Dataset.load(from: dataset)
        if let reason = data.unscorableReason(file: dataset) { throw DatasetError.invalid(reason) }
        let started = Date()
        Parallelism.set(threads: setup.threads)
        var trained = recipe.recipe
        trained.training.validationCurve = true   // printed each epoch below, and kept in --out's file
        let scored = try ScoredTraining(recipe: trained, data: data, seed: setup.seed) { epoch in
            guard !quiet else { return }
            print(String(format: "epoch %3d  loss %.4f  train %.3f  val %@", epoch.epoch, epoch.trainLoss, epoch.trainAccuracy,
                         epoch.validationAccuracyText))
        }
        print(String(format: "%@ on %@: test accuracy %.4f (%@), macro-F1 %.4f, %@, %.1f s", recipe.model.rawValue, dataset,
                     scored.test.accuracy, scored.testLabelsAreGold ? "gold labels" : "labels as delivered", scored.test.macroF1,
                     scored.report.status.rawValue, scored.report.seconds))
        if let out { try write(scored, of: data, startedAt: started, to: out) }
    }

    /// The training as a trial file (experiment `train`, arm `single`), named after `path`.
    private func write(_ scored: ScoredTraining, of data: Dataset, startedAt started: Date, to path: String) throws {
        var record = TrialRecord.starting(trialID: (path as NSString).lastPathComponent.replacingOccurrences(of: ".h5", with: ""),
                                          experiment: "train", arm: .single, variant: recipe.model.rawValue, seed: Int64(setup.seed),
                                          config: "dataset: \(dataset)\n" + recipe.yaml + "seed: \(setup.seed)\n", classNames: data.classNames,
                                          at: started)
        record.record(scored)
        record.finish(startedAt: started)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        print("wrote \(try TrialFile.write(record, to: folder.isEmpty ? "." : folder))")
    }
}
