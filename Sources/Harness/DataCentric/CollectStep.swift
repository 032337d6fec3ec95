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

    public var label: String { Self.name + (byGoldClass ? " (gold-class oracle)" : "") + source.oracleNote }

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
        var outcomes: [String: Double] = [:]
        for (k, recall) in outcome.recall.enumerated() { outcomes["validation_recall_\(context.data.classNames[k])"] = recall }
        if !outcome.collected.isEmpty && improved.hasGold(outcome.collected) {   // only where the truth is known
            let noise = improved.noiseMask
            outcomes["collected_mislabelled"] = Double(outcome.collected.filter { noise[$0] }.count)
            let targeted = Set(outcome.targeted.map(Int32.init))
            outcomes["collected_of_targeted_class"] = Double(outcome.collected.filter { targeted.contains(improved.gold[$0]) }.count) / Double(outcome.collected.count)
        }
        return StepRecord(name: label, effort: outcome.effort, outcomes: outcomes,
                          indices: ["collected": outcome.collected.map(Int64.init), "targeted_classes": outcome.targeted.map(Int64.init)])
    }
}
