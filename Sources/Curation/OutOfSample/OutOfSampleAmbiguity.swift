import Datasets
import Engine
import Store

/// An ambiguity score measured for images that carry none (imported images), so the simulated
/// annotators and the expert err more on hard images there as they do on the scenarios: one minus
/// the out-of-sample margin, the gap between the two largest class probabilities that a model gives
/// an image it never trained on (stratified K-fold over every image of every split, trained on the
/// gold labels). 0: the fold model is certain; 1: a coin toss between two classes — the scale of a
/// scenario's ambiguity. The fold models only measure how hard each image is; no experiment sees them.
///
/// Images with a near-identical twin in another fold score as clear (the twin taught the model),
/// and a model of little capacity scores everything as ambiguous: the score is the recipe's view of
/// the images, which is why the file records the recipe.
public struct OutOfSampleAmbiguity: Sendable {
    public let crossValidation: CrossValidation
    public let recipe: Recipe

    public init(crossValidation: CrossValidation, recipe: Recipe) {
        self.crossValidation = crossValidation; self.recipe = recipe
    }

    /// Each image's score, in sample order, and what the fold trainings cost.
    /// - Throws: `CurationError.invalidInput` when an image has no gold label (the folds train on
    ///   the truth) or a class has fewer images than there are folds.
    public func scores(for data: Dataset) throws -> (ambiguity: [Float], effort: Effort) {
        let unknown = data.gold.filter { $0 < 0 }.count
        guard unknown == 0 else {
            throw CurationError.invalidInput("\(unknown) of the \(data.count) images have no true label; the score trains on the truth "
                                             + "(import with --labels-are-gold, or --verified for every split)")
        }
        for (k, name) in data.classNames.enumerated() {
            let members = data.gold.filter { $0 == Int32(k) }.count
            guard members >= crossValidation.folds else {
                throw CurationError.invalidInput("class \(name) has \(members) images, fewer than the \(crossValidation.folds) folds")
            }
        }
        var truth = data
        truth.delivered = data.gold
        let predictions = try crossValidation.predict(recipe: recipe, data: truth, samples: Array(0..<data.count))
        return ((0..<data.count).map { Self.score(predictions.outOfSample, sample: $0) }, predictions.effort)
    }

    /// One minus the gap between the sample's two largest probabilities.
    static func score(_ probabilities: PredictedProbabilities, sample: Int) -> Float {
        var (first, second) = (0.0, 0.0)
        for c in 0..<probabilities.classes {
            let p = probabilities[sample, c]
            if p > first { (first, second) = (p, first) } else if p > second { second = p }
        }
        return Float(min(max(1 - (first - second), 0), 1))
    }

    /// What the dataset's provenance records of the score.
    public var provenance: String {
        "1 - out-of-sample margin: \(crossValidation.folds)-fold \(recipe.architecture.rawValue), \(recipe.training.epochs) epochs, "
            + "seed \(crossValidation.seed), trained on the gold labels"
    }
}
