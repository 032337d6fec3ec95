import ArgumentParser
import Engine
import Foundation

/// How a command trains its models: the options `flywheel train` and `flywheel label-issues`
/// share, with `Recipe()`'s defaults (the one place defaults live).
struct RecipeOptions: ParsableArguments {
    @Option(help: "Model.")
    var model = Recipe().architecture

    @Option(help: "Epochs.")
    var epochs = Recipe().training.epochs

    @Option(help: "Minibatch size.")
    var batch = Recipe().training.batchSize

    @Option(help: "Optimizer (SGD with momentum 0.9; the others without).")
    var optimizer = Recipe().training.optimizer.kind

    @Option(help: "Learning rate.")
    var lr = Recipe().training.learningRate

    @Option(help: "Learning-rate schedule: constant, or cosine (annealed from --lr to 0 over the epochs; an experiment file's `schedule: cosine`).")
    var schedule = LearningRateChoice(Recipe().training.schedule.decay)

    @Flag(help: "Flip each training image at random as it enters a batch, along both axes (an experiment file's `train.flips: true`).")
    var flips = false

    @Option(help: "Loss weight per training image: uniform, confidence (the graded labels imported with the data), or balanced (inverse class frequency).")
    var sampleWeights = Recipe().training.sampleWeights

    func validate() throws {
        guard epochs >= 1 else { throw ValidationError("--epochs must be at least 1, got \(epochs).") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch).") }
        guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be positive, got \(lr).") }
    }

    /// `Recipe()` with these options applied.
    var recipe: Recipe {
        var recipe = Recipe(architecture: model)
        recipe.training.epochs = epochs
        recipe.training.batchSize = batch
        recipe.training.learningRate = lr
        recipe.training.sampleWeights = sampleWeights
        recipe.training.schedule.decay = schedule.decay
        recipe.training.randomFlips = flips ? .both : []
        recipe.useOptimizer(optimizer)
        return recipe
    }

    /// The options as YAML lines, for a trial record's config.
    var yaml: String { "model: \(model.rawValue)\nepochs: \(epochs)\nbatch: \(batch)\noptimizer: \(optimizer.rawValue)\nlr: \(lr)\n"
        + "schedule: \(schedule.rawValue)\n" + (flips ? "flips: true\n" : "")
        + (sampleWeights == .uniform ? "" : "sample_weights: \(sampleWeights.rawValue)\n") }
}

/// The learning-rate schedules the command line offers, named as an experiment file names them.
enum LearningRateChoice: String, CaseIterable, ExpressibleByArgument {
    case constant, cosine

    /// The choice naming `decay`, `Recipe()`'s default among them (a step schedule, which only
    /// experiment files set, has no name here and reads as constant).
    init(_ decay: LearningRateDecay) { self = if case .cosine = decay { .cosine } else { .constant } }

    /// The schedule's decay: cosine anneals to 0, as `schedule: cosine` does.
    var decay: LearningRateDecay {
        switch self {
        case .constant: .constant
        case .cosine: .cosine(minimum: 0)
        }
    }
}

/// The seed and engine threads of a command that trains.
struct SeedAndThreads: ParsableArguments {
    @Option(help: "Seed of initialisation and shuffling (and of the folds, where there are folds).")
    var seed: UInt64 = 1

    @Option(help: "Engine threads (default: all cores).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard threads >= 1 else { throw ValidationError("--threads must be at least 1, got \(threads).") }
    }
}
