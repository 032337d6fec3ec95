import Curation
import Datasets
import Store

/// `active-learning: {rounds: 4, batch: 30, strategy: margin, labels: same-annotators}` — the
/// flywheel: train, score the pool, label the top `batch`, repeat. Records the learning curve
/// (labels spent against validation and test accuracy) per round.
public struct ActiveLearningStep: DataStep {
    public static let name = "active-learning"
    let rounds: Int
    let batch: Int
    let strategy: QueryStrategy
    let source: LabelSource

    public var label: String { Self.name + source.labelNote }

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["rounds", "batch", "strategy", "labels"] + LabelSource.optionKeys)
        rounds = try o["rounds"]?.positiveInt() ?? 3
        batch = try o["batch"]?.positiveInt() ?? 30
        strategy = QueryStrategy(rawValue: try o["strategy"]?.string(allowed: QueryStrategy.allCases.map(\.rawValue)) ?? "margin")!
        source = try LabelSource.decode(o, key: "labels", default: "same-annotators", allowHuman: false)
    }

    /// One training per round.
    public var estimatedTrainings: Double { Double(rounds) }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let labeler: Reviewer? = source == .sameAnnotators ? nil : try source.reviewer(in: context)
        let loop = ActiveLearningLoop(rounds: rounds, batch: batch, strategy: strategy, labeler: labeler, seed: context.seed(for: Self.name))
        let (improved, curve, effort) = try loop.run(on: context.data, recipe: context.recipe)
        context.replaceData(improved)
        return StepRecord(name: label, effort: effort,
                          outcome: ActiveLearningOutcome(labels: curve.map(\.labels), validationAccuracy: curve.map(\.validationAccuracy),
                                                         testAccuracy: curve.map(\.testAccuracy)))
    }
}

/// The flywheel's learning curve, one entry per round: the labels bought so far and the model's
/// validation and test accuracy after the round.
public struct ActiveLearningOutcome: StepOutcome, Equatable {
    public static let step = ActiveLearningStep.name
    public var labels: [Int]
    public var validationAccuracy: [Double]
    public var testAccuracy: [Double]

    public var stored: StoredOutcome {
        StoredOutcome(series: ["labels": labels.map(Double.init), "validation_accuracy": validationAccuracy, "test_accuracy": testAccuracy])
    }

    public init(labels: [Int], validationAccuracy: [Double], testAccuracy: [Double]) {
        self.labels = labels; self.validationAccuracy = validationAccuracy; self.testAccuracy = testAccuracy
    }

    public init(stored: StoredOutcome) {
        self.init(labels: (stored.series["labels"] ?? []).map { Int($0) }, validationAccuracy: stored.series["validation_accuracy"] ?? [],
                  testAccuracy: stored.series["test_accuracy"] ?? [])
    }
}
