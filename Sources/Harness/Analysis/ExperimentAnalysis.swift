import Store

/// An arm's test accuracy over seeds, with its paired comparison against the baseline.
public struct ArmResult: Sendable {
    public let arm: Arm
    /// The model-centric arm's upper bound: per seed, the candidate best on the gold test set —
    /// a choice no team without clean test labels can make.
    public let isUpperBound: Bool
    /// The arm's name in reports: `model-centric (best on test, upper bound)` for the upper bound.
    public var label: String { isUpperBound ? arm.rawValue + Self.upperBoundSuffix : arm.rawValue }
    /// What `label` appends to the arm's name for the upper bound.
    public static let upperBoundSuffix = " (best on test, upper bound)"
    /// Test accuracy per seed.
    public let accuracy: [Int: Double]
    public let summary: Summary
    /// Against the baseline on the same seeds (nil for the baseline itself).
    public let comparison: PairedComparison?
    /// Trainings and training FLOPs the arm spent, over all seeds (for the model-centric arm:
    /// every variant tried, not only the chosen one; for the data-centric arm: the models its
    /// steps trained too — cross-validation folds, error analysis, active-learning rounds).
    public let trainings: Int
    public let trainFLOPs: Double
    /// What the arm's data steps spent, over all seeds.
    public let stepEffort: Effort
    /// What the arm's data steps did and spent per seed, averaged, by step and stored name
    /// ("augment.samples_added": 720, "relabel.reviewed": 48, …).
    public let stepValues: [String: Double]
    /// Per class: test recall, mean over seeds.
    public let recall: [Double]
}

/// One model-centric candidate over seeds: the baseline or one of its variants.
public struct VariantResult: Sendable {
    public let name: String
    public let testAccuracy: Summary
    public let validationAccuracy: Summary
    /// Seeds on which the validation set as delivered chose this candidate.
    public let timesChosen: Int
}

/// The analysis of an experiment's trial files: per arm, summaries over seeds and paired
/// comparisons against the baseline. The model-centric arm's result on a seed is the model a
/// team without clean labels would ship: the best on the validation set as delivered among the
/// baseline and the variants, keeping the baseline on a tie (a team that cannot beat its model
/// keeps it). The best of them on the clean test set is reported too, as an upper bound.
public struct ExperimentAnalysis: Sendable {
    public let experiment: String
    public let seeds: [Int]
    public let arms: [ArmResult]
    /// The model-centric candidates: the baseline first, then the variants by name.
    public let variants: [VariantResult]
    /// Trials that failed or diverged (by id), reported beside the tables.
    public let problems: [String]
    public let classNames: [String]

    public init(records: [TrialRecord]) {
        experiment = records.first?.experiment ?? "experiment"
        classNames = records.first?.classNames ?? []
        let usable = records.filter { $0.metrics != nil && $0.status == .completed }
        problems = records.filter { $0.status != .completed }.map { "\($0.trialID): \($0.status.rawValue) \($0.error)" }
        let baseline = Dictionary(usable.filter { $0.arm == .baseline }.map { (Int($0.seed), $0) }, uniquingKeysWith: { a, _ in a })
        let candidates = Dictionary(grouping: usable.filter { $0.arm == .modelCentric }, by: { Int($0.seed) })
        seeds = baseline.keys.sorted()
        var arms: [ArmResult] = []
        let baselineAccuracy = baseline.mapValues { $0.metrics!.accuracy }
        if !seeds.isEmpty {
            arms.append(Self.arm(.baseline, baseline, against: nil, spent: Array(baseline.values)))
        }
        let pairedSeeds = seeds.filter { candidates[$0]?.isEmpty == false }
        if !pairedSeeds.isEmpty {
            // The baseline first, then the variants by name: the first with the best score wins.
            let shipped = pairedSeeds.reduce(into: [Int: [TrialRecord]]()) { result, seed in
                result[seed] = [baseline[seed]!] + candidates[seed]!.sorted { $0.variant < $1.variant }
            }
            let chosen = shipped.mapValues { Self.first($0, maximising: { $0.metrics!.validationAccuracy ?? 0 }) }
            let best = shipped.mapValues { Self.first($0, maximising: { $0.metrics!.accuracy }) }
            let spent = pairedSeeds.flatMap { candidates[$0]! }
            arms.append(Self.arm(.modelCentric, chosen, against: baselineAccuracy, spent: spent))
            arms.append(Self.arm(.modelCentric, best, against: baselineAccuracy, spent: spent, upperBound: true))
            let considered = pairedSeeds.flatMap { shipped[$0]! }
            let names = ["baseline"] + Set(spent.map(\.variant)).sorted()
            variants = names.map { name in
                let mine = considered.filter { $0.variant == name }
                return VariantResult(name: name, testAccuracy: Summary(mine.map { $0.metrics!.accuracy }),
                                     validationAccuracy: Summary(mine.map { $0.metrics!.validationAccuracy ?? .nan }),
                                     timesChosen: chosen.values.filter { $0.variant == name }.count)
            }
        } else {
            variants = []
        }
        let improved = Dictionary(usable.filter { $0.arm == .dataCentric && baseline[Int($0.seed)] != nil }.map { (Int($0.seed), $0) },
                                  uniquingKeysWith: { a, _ in a })
        if !improved.isEmpty {
            arms.append(Self.arm(.dataCentric, improved, against: baselineAccuracy, spent: Array(improved.values)))
        }
        self.arms = arms
    }

    /// The result of `arm` (for the model-centric arm, the model validation chose, not the
    /// upper bound), when the experiment has it.
    public func arm(_ arm: Arm) -> ArmResult? { arms.first { $0.arm == arm && !$0.isUpperBound } }

    /// The first record with the largest `score`.
    private static func first(_ records: [TrialRecord], maximising score: (TrialRecord) -> Double) -> TrialRecord {
        records.dropFirst().reduce(records[0]) { best, next in score(next) > score(best) ? next : best }
    }

    /// - Parameters: `results` the arm's record per seed; `spent` every trial the arm paid for.
    private static func arm(_ arm: Arm, _ results: [Int: TrialRecord], against baseline: [Int: Double]?, spent records: [TrialRecord],
                            upperBound: Bool = false) -> ArmResult {
        let accuracy = results.mapValues { $0.metrics!.accuracy }
        let seeds = accuracy.keys.sorted()
        let classes = results.values.map { $0.metrics!.recall.count }.max() ?? 0
        let recall = (0..<classes).map { k in seeds.reduce(0) { $0 + (results[$1]!.metrics!.recall.dropFirst(k).first ?? 0) } / Double(seeds.count) }
        let comparison = baseline.map { b in PairedComparison(arm: seeds.map { accuracy[$0]! }, baseline: seeds.map { b[$0]! }) }
        var values: [String: Double] = [:]
        for record in records {
            for step in record.curation { for (key, value) in step.storedValues { values["\(step.name).\(key)", default: 0] += value / Double(seeds.count) } }
        }
        let effort = records.flatMap(\.curation).compactMap(\.effort).reduce(Effort(), +)
        return ArmResult(arm: arm, isUpperBound: upperBound, accuracy: accuracy, summary: Summary(seeds.map { accuracy[$0]! }),
                         comparison: comparison, trainings: records.count + effort.trainings,
                         trainFLOPs: records.reduce(0) { $0 + $1.trainFLOPs } + effort.trainFLOPs, stepEffort: effort, stepValues: values, recall: recall)
    }
}
