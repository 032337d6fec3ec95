/// What a curation operation cost, in the units a team budgets: people's time (samples
/// reviewed, annotations bought, samples collected) and compute (trainings, FLOPs).
public struct Effort: Sendable, Equatable {
    /// Samples a reviewer looked at.
    public var reviewed = 0
    /// Labels that changed as a result.
    public var labelsChanged = 0
    /// Samples added to the training data from the pool.
    public var collected = 0
    /// Individual labels bought from annotators (collection, consensus, active learning).
    public var annotations = 0
    /// Models trained (cross-validation folds, error analysis, active-learning rounds).
    public var trainings = 0
    /// Training FLOPs of those models.
    public var trainFLOPs = 0.0

    public init(reviewed: Int = 0, labelsChanged: Int = 0, collected: Int = 0, annotations: Int = 0, trainings: Int = 0, trainFLOPs: Double = 0) {
        self.reviewed = reviewed; self.labelsChanged = labelsChanged; self.collected = collected
        self.annotations = annotations; self.trainings = trainings; self.trainFLOPs = trainFLOPs
    }

    /// The ledger entries under their stored names (`reviewed`, `labels_changed`, …).
    public var storedValues: [String: Double] {
        ["reviewed": Double(reviewed), "labels_changed": Double(labelsChanged), "collected": Double(collected),
         "annotations": Double(annotations), "trainings": Double(trainings), "train_flops": trainFLOPs]
    }

    /// The names `storedValues` uses.
    static let storedNames: Set = ["reviewed", "labels_changed", "collected", "annotations", "trainings", "train_flops"]

    /// The ledger from its stored entries (absent ones count 0).
    init(stored values: [String: Double]) {
        self.init(reviewed: Int(values["reviewed"] ?? 0), labelsChanged: Int(values["labels_changed"] ?? 0),
                  collected: Int(values["collected"] ?? 0), annotations: Int(values["annotations"] ?? 0),
                  trainings: Int(values["trainings"] ?? 0), trainFLOPs: values["train_flops"] ?? 0)
    }

    public static func + (a: Effort, b: Effort) -> Effort {
        Effort(reviewed: a.reviewed + b.reviewed, labelsChanged: a.labelsChanged + b.labelsChanged, collected: a.collected + b.collected,
               annotations: a.annotations + b.annotations, trainings: a.trainings + b.trainings, trainFLOPs: a.trainFLOPs + b.trainFLOPs)
    }

    public static func += (a: inout Effort, b: Effort) { a = a + b }
}
