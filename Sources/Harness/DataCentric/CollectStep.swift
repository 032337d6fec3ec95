import Curation
import Datasets
import Store

/// `collect: {count: 100, classes: 2, labels: same-annotators}` — error analysis with the fixed
/// model on the validation set, then `count` new samples of the `classes` weakest classes from
/// the pool, labelled by the same annotators (default) or a `consistent` labeller. After a
/// `label-issues` step the error analysis uses its fold models' validation recall; otherwise it
/// trains the fixed model once.
public struct CollectStep: DataStep {
    public static let name = "collect"
    let count: Int
    let classes: Int
    let source: LabelSource
    /// `choose_by: gold-class-oracle`: pool images chosen by their true class (protocol v1).
    let byGoldClass: Bool
    /// Where the step sits in the experiment file, for errors.
    let stepKey: String

    /// Where the step sits in the file is not a setting.
    enum CodingKeys: CodingKey { case count, classes, source, byGoldClass }

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["target", "count", "classes", "labels", "choose_by"] + LabelSource.optionKeys)
        byGoldClass = try o["choose_by"]?.string(allowed: ["predictions", "gold-class-oracle"]) == "gold-class-oracle"
        _ = try o["target"]?.string(allowed: ["weakest-classes"])
        guard let c = o["count"] else { throw ConfigError("\(options.path).count: missing; how many samples to collect (\(options.tree.origin))") }
        count = try c.positiveInt()
        classes = try o["classes"]?.positiveInt() ?? 2
        source = try LabelSource.decode(o, key: "labels", default: "same-annotators", allowHuman: false)
        stepKey = options.path
    }

    public var label: String { Self.name + (byGoldClass ? " (gold-class oracle)" : "") + source.labelNote }

    /// The error analysis trains the recipe once, unless `label-issues` measured recall before it.
    public var estimatedTrainings: Double { 1 }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let labeler: Reviewer? = source == .sameAnnotators ? nil : try source.reviewer(in: context)
        if byGoldClass { try LabelSource.requireTruth(of: context.data.indices(in: .pool), in: context.data, step: stepKey, what: "choose_by: gold-class-oracle") }
        try source.requireTruth(of: context.data.indices(in: .pool), in: context.data, step: stepKey)
        var collection = TargetedCollection(count: count, weakestClasses: classes, labeler: labeler, seed: context.seed(for: Self.name))
        collection.byGoldClass = byGoldClass
        let (improved, outcome) = try collection.apply(to: context.data, recipe: context.recipe, measuredRecall: context.validationRecall,
                                                       predictedPool: context.poolPredictions)
        context.replaceData(improved)
        var record = CollectOutcome(collected: outcome.collected.map(Int64.init), targetedClasses: outcome.targeted.map(Int64.init),
                                    validationRecall: Dictionary(uniqueKeysWithValues: zip(context.data.classNames, outcome.recall)))
        if !outcome.collected.isEmpty && improved.hasGold(outcome.collected) {   // only where the truth is known
            let noise = improved.noiseMask
            let targeted = Set(outcome.targeted.map(Int32.init))
            record.truth = (mislabelled: outcome.collected.filter { noise[$0] }.count,
                            ofTargetedClass: Double(outcome.collected.filter { targeted.contains(improved.gold[$0]) }.count) / Double(outcome.collected.count))
        }
        return StepRecord(name: label, effort: outcome.effort, outcome: record)
    }
}

/// What `collect` bought: the pool samples collected, the classes it targeted, the validation
/// recall per class its error analysis measured and, where the truth is known, how many new labels
/// were wrong and what share of the collected images truly were of a targeted class.
public struct CollectOutcome: StepOutcome {
    public static let step = CollectStep.name
    public var collected: [Int64]
    public var targetedClasses: [Int64]
    /// By class name.
    public var validationRecall: [String: Double]
    public var truth: (mislabelled: Int, ofTargetedClass: Double)?

    private static let recallPrefix = "validation_recall_"

    public var stored: StoredOutcome {
        var values = Dictionary(uniqueKeysWithValues: validationRecall.map { (Self.recallPrefix + $0.key, $0.value) })
        if let truth {
            values["collected_mislabelled"] = Double(truth.mislabelled)
            values["collected_of_targeted_class"] = truth.ofTargetedClass
        }
        return StoredOutcome(values: values, indices: ["collected": collected, "targeted_classes": targetedClasses])
    }

    public init(collected: [Int64], targetedClasses: [Int64], validationRecall: [String: Double]) {
        self.collected = collected; self.targetedClasses = targetedClasses; self.validationRecall = validationRecall
    }

    public init(stored: StoredOutcome) {
        let recall = stored.values.filter { $0.key.hasPrefix(Self.recallPrefix) }
        self.init(collected: stored.indices["collected"] ?? [], targetedClasses: stored.indices["targeted_classes"] ?? [],
                  validationRecall: Dictionary(uniqueKeysWithValues: recall.map { (String($0.key.dropFirst(Self.recallPrefix.count)), $0.value) }))
        if let mislabelled = stored.count("collected_mislabelled"), let share = stored.values["collected_of_targeted_class"] {
            truth = (mislabelled, share)
        }
    }
}
