import ArgumentParser
import Audit
import Curation
import Datasets
import Engine
import Foundation
import Harness
import Reports
import Store

/// `flywheel audit`: rank the levers — review labels, collect data, change the model or its
/// training, remove duplicates — by estimated gain, interval and cost, on a dataset file a team already has.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Rank what to do next — review labels, collect data, change the model or its training, remove duplicates — by estimated gain and cost.",
        discussion: """
            Trains the recipe on the training split with its labels as delivered, --seeds times, and scores it on the \
            test split's verified labels where the file has them (else validation's verified, else validation's as \
            delivered; the report says which). Label issues come from --folds-fold cross-validation and confident \
            learning; duplicates from a radius relative to the images' nearest-neighbour distances. Each lever is \
            then measured by retraining with it applied (paired with the baseline seed by seed) or, for data not yet \
            collected, projected from a learning curve. Writes audit.md, levers.csv, audit.h5, review.csv and \
            learning-curve.svg into --out.

            Example:
              flywheel data import photos/ --out parts.h5 --size 32 --split train=0.6,val=0.2,test=0.2
              flywheel audit parts.h5 --out parts-audit
            """)

    @Argument(help: "Dataset HDF5 file.")
    var dataset: String

    @OptionGroup var recipe: RecipeOptions

    @Option(help: "Cross-validation folds for the label issues.")
    var folds = 4

    @Option(help: "Seeds of every training, comma-separated (intervals need two or more).")
    var seeds = CommaList([1, 2, 3])

    @Option(help: "Other models tried on the same data, comma-separated (default: cnn-deep and resnet-8, less the recipe's own; 'none' for none).")
    var variants: CommaList<Architecture>?

    @Option(help: "Changes of training tried on the same data, comma-separated: schedule (cosine where the rate is constant, constant where it is cosine), flips (random flips in the loop, or none where the recipe flips), class-weights (the loss weighted by inverse class frequency, for rare classes) (default: schedule,flips; 'none' for none).")
    var trainingChanges: CommaList<TrainingChange>?

    @Option(help: "What every model is measured by, and every gain in: accuracy, or balanced-accuracy (the mean of the classes' recalls, each class alike: for rare classes).")
    var metric = ScoreMetric.accuracy

    @OptionGroup var training: TrainingJobs

    @Option(help: "Folder to write (must not exist).")
    var out = "audit"

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2, got \(folds).") }
        _ = try seeds.seeds()
    }

    func run() throws {
        try requireNewOutputFile(out)
        let data = try Dataset.load(from: dataset)
        Parallelism.set(threads: training.threadsPerJob)
        var audit = Audit(recipe: recipe.recipe)
        audit.folds = folds
        audit.seeds = try seeds.seeds()
        audit.variants = variants?.values ?? audit.variants
        audit.trainingChanges = trainingChanges?.values ?? audit.trainingChanges
        audit.metric = metric
        audit.jobs = training.jobs
        audit.threads = training.threadsPerJob
        let bar = ProgressBar(label: "audit")
        let result: AuditResult
        do {
            result = try audit.run(data) { done, total, _ in bar.update(done, total) }
        } catch AuditError.unusable(let reason) {
            throw AuditError.unusable("\(dataset): \(reason)")
        }
        bar.finish()
        try AuditFiles.write(result, of: data, dataset: (dataset as NSString).lastPathComponent, costs: audit.costs, to: out)
        for (rank, lever) in result.levers.enumerated() {
            print(String(format: "%d. %@: %@  %@ points, cost %.1f", rank + 1, lever.kind.rawValue, lever.action,
                         AuditMarkdown.gainInterval(lever.measuredGains), lever.cost) + (lever.gain == nil ? " (\(lever.basis))" : ""))
        }
        print("wrote \(out)/" + AuditFiles.names.joined(separator: ", "))
    }
}

extension ScoreMetric: ExpressibleByArgument {}
