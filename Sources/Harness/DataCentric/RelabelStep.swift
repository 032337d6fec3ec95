import Curation
import Datasets
import Foundation
import Store

/// `relabel: {budget: 0.25, reviewer: consistent, error_rate: 0.02}` — spends a review budget
/// (a fraction of the training split, or `count`) on the flagged samples, most likely wrong
/// first. `reviewer: human` writes a review CSV for a person instead (or applies `review:` when
/// that file has been filled in).
public struct RelabelStep: DataStep {
    public static let name = "relabel"
    let budget: ReviewBudget
    let source: LabelSource
    let reviewFile: String?
    /// Where the step sits in the experiment file (`arms.data-centric.steps[1].relabel`).
    let stepKey: String

    /// Where the step sits in the file is not a setting.
    enum CodingKeys: CodingKey { case budget, source, reviewFile }

    public var label: String { Self.name + source.labelNote }

    /// A review by a simulated reviewer (no review file).
    init(budget: ReviewBudget, source: LabelSource, stepKey: String) {
        self.budget = budget; self.source = source; reviewFile = nil; self.stepKey = stepKey
    }

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["budget", "count", "reviewer", "review"] + LabelSource.optionKeys)
        switch (o["budget"], o["count"]) {
        case (let b?, nil): budget = .fraction(try b.double(in: 0...1, description: "a fraction of the training split in [0, 1]"))
        case (nil, let c?): budget = .count(try c.int(minimum: 0, description: "a count ≥ 0"))
        case (nil, nil): budget = .fraction(0.25)
        default: throw ConfigError("\(options.path): give budget (a fraction) or count, not both (\(options.tree.origin))")
        }
        source = try LabelSource.decode(o, key: "reviewer", default: "consistent", allowHuman: true)
        reviewFile = try o["review"]?.string()
        stepKey = options.path
        if reviewFile != nil && source != .human {
            throw ConfigError("\(options.path).review: a review file goes with reviewer: human (\(options.tree.origin))")
        }
    }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let ranked = try context.requireFlags(for: Self.name)
        if source == .human { return try humanReview(ranked, &context) }
        try source.requireTruth(of: context.data.indices(in: .train), in: context.data, step: stepKey)
        let relabeling = Relabeling(budget: budget, reviewer: try source.reviewer(in: context), seed: context.seed(for: Self.name))
        let (improved, outcome) = try relabeling.apply(to: context.data, ranked: ranked)
        context.replaceData(improved)
        return StepRecord(name: label, effort: outcome.effort, outcome: RelabelStepOutcome(outcome, samplesKey: "reviewed"))
    }

    /// Applies the filled-in review file, or writes one for a person and stops the trial.
    private func humanReview(_ ranked: [Int], _ context: inout CurationContext) throws -> StepRecord {
        if let reviewFile, FileManager.default.fileExists(atPath: reviewFile) {
            let (improved, reviewed, changed) = try ReviewFile.apply(reviewFile, to: context.data)
            context.replaceData(improved)
            return StepRecord(name: label, effort: Effort(reviewed: reviewed, labelsChanged: changed), outcome: RelabelStepOutcome(samples: [], changes: nil))
        }
        let allowed = budget.samples(trainingSize: context.data.indices(in: .train).count)
        let path = reviewFile ?? context.reviewFolder + "/review-seed\(context.seed).csv"
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let items = ranked.prefix(allowed).map { sample in
            let suggestion = context.suggestions[sample] ?? (Int(context.data.delivered[sample]), .nan)
            return ReviewFile.Item(sample: sample, suggested: suggestion.label, confidence: suggestion.probability)
        }
        try ReviewFile.write(items, of: context.data, to: path)
        throw CurationError.reviewPending(file: path, stepKey: stepKey)
    }
}

/// What a review did (`relabel`, and the relabelling half of `consensus`): the samples looked
/// at, in review order, and, where their truth is known, how many labels it fixed and broke.
public struct RelabelStepOutcome: StepOutcome, Equatable {
    public static let step = RelabelStep.name
    /// The samples reviewed (`relabel`) or re-annotated (`consensus`).
    public var samples: [Int64]
    public var changes: (fixed: Int, broken: Int)?
    /// The dataset name the samples are stored under.
    var samplesKey = "reviewed"

    public static func == (a: Self, b: Self) -> Bool {
        a.samples == b.samples && a.changes?.fixed == b.changes?.fixed && a.changes?.broken == b.changes?.broken
    }

    public var stored: StoredOutcome {
        StoredOutcome(values: changes.map { ["labels_fixed": Double($0.fixed), "labels_broken": Double($0.broken)] } ?? [:],
                      indices: samples.isEmpty ? [:] : [samplesKey: samples])
    }

    public init(samples: [Int64], changes: (fixed: Int, broken: Int)?) {
        self.samples = samples; self.changes = changes
    }

    /// A review's outcome, its samples stored under `samplesKey`.
    init(_ outcome: RelabelOutcome, samplesKey: String) {
        self.init(samples: outcome.reviewed.map(Int64.init), changes: outcome.truthKnown ? (outcome.fixed, outcome.broken) : nil)
        self.samplesKey = samplesKey
    }

    public init(stored: StoredOutcome) {
        let key = stored.indices["reannotated"] != nil ? "reannotated" : "reviewed"
        let changes = stored.count("labels_fixed").map { (fixed: $0, broken: stored.count("labels_broken") ?? 0) }
        self.init(samples: stored.indices[key] ?? [], changes: changes)
        samplesKey = key
    }
}
