import Curation
import Datasets
import Engine

/// What the data-centric arm's steps share while they run, in order: the data as improved so
/// far, the recipe held fixed, the annotation process the data came from, and the flags that
/// `label-issues` leaves for `relabel`, `prune` and `consensus`.
public struct CurationContext: Sendable {
    public private(set) var data: Dataset
    public let seed: Int
    /// The baseline's recipe, held fixed, as the data is now: with the in-loop flips an `augment`
    /// step asked for (a change to the data the model sees, not to the model).
    public var recipe: Recipe {
        var seen = fixedRecipe
        seen.training.randomFlips.formUnion(inLoopFlips)
        return seen
    }
    private let fixedRecipe: Recipe
    /// Flips applied at random each time a training sample enters a batch (`augment` with `in_loop`).
    public private(set) var inLoopFlips: RandomFlips = []
    /// The process that produced the delivered labels (nil when none was simulated).
    public let annotation: LabelNoise?
    /// Where a human review CSV is written.
    public let reviewFolder: String
    /// Flagged training samples, most likely mislabelled first; nil until `label-issues` runs.
    public private(set) var flagged: [Int]?
    /// Per flagged sample: the fixed model's out-of-sample prediction and its probability.
    public private(set) var suggestions: [Int: (label: Int, probability: Double)] = [:]
    /// Per class: the fixed model's recall on the validation split as delivered, measured by
    /// `label-issues`' fold models (nil until then, or once validation samples are removed).
    public private(set) var validationRecall: [Double]?
    /// Per pool sample: the class probabilities the fixed model's fold models give it (nil until
    /// `label-issues` runs), what collection sees of the pool before buying labels.
    public private(set) var poolPredictions: [Int: [Double]]?

    public init(data: Dataset, seed: Int, recipe: Recipe, annotation: LabelNoise?, reviewFolder: String) {
        self.data = data; self.seed = seed; fixedRecipe = recipe; self.annotation = annotation; self.reviewFolder = reviewFolder
    }

    /// The seed for a step's randomness, distinct per step name.
    func seed(for step: String) -> UInt64 { UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 ^ UInt64(stableHash(step, digits: 16), radix: 16)! }

    mutating func replaceData(_ improved: Dataset) { data = improved }

    mutating func flipInLoop(_ axes: RandomFlips) { inLoopFlips.formUnion(axes) }

    mutating func flag(_ ranked: [Int], suggestions: [Int: (label: Int, probability: Double)]) {
        flagged = ranked
        self.suggestions = suggestions
    }

    mutating func measureValidationRecall(_ recall: [Double]) { validationRecall = recall }

    mutating func predictPool(_ predictions: [Int: [Double]]) { poolPredictions = predictions }

    /// The flags, or an error naming the step that needs them.
    func requireFlags(for step: String) throws -> [Int] {
        guard let flagged else { throw CurationError.invalidInput("\(step) works on flagged samples: put a label-issues step before it") }
        return flagged
    }

    /// Removes samples, keeping the flags pointing at the same samples (flags of removed ones drop).
    mutating func remove(_ samples: Set<Int>, reason: String) {
        let kept = (0..<data.count).filter { !samples.contains($0) }
        let newIndex = Dictionary(uniqueKeysWithValues: kept.enumerated().map { ($1, $0) })
        flagged = flagged?.compactMap { newIndex[$0] }
        suggestions = Dictionary(uniqueKeysWithValues: suggestions.compactMap { old, value in newIndex[old].map { ($0, value) } })
        poolPredictions = poolPredictions.map { Dictionary(uniqueKeysWithValues: $0.compactMap { old, value in newIndex[old].map { ($0, value) } }) }
        if samples.contains(where: { data.splits[$0] == .validation }) { validationRecall = nil }
        data = data.removing(samples, reason: reason)
    }

    /// Training samples whose delivered label is known to be wrong (all false where truth is unknown).
    var trainingNoiseMask: [Bool] {
        let noise = data.noiseMask
        return data.splits.indices.map { data.splits[$0] == .train && noise[$0] }
    }
}
