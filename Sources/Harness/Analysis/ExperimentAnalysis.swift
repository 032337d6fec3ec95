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
    /// CPU-hours of every trial the arm paid for, over all seeds (wall time × engine threads).
    public let cpuHours: Double
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
    /// Seeds on which the validation set as delivered chose this candidate (a seed whose choice
    /// ended in a tie of k candidates counts 1/k for each).
    public let timesChosen: Double
}

/// The analysis of an experiment's trial files: per arm, summaries over seeds and paired
/// comparisons against the baseline, and the question itself — data-centric minus model-centric,
/// paired. The model-centric arm's result on a seed is the model a team without clean labels
/// would ship, chosen among the baseline and the variants by `ValidationChoice` (best on the
/// validation set as delivered; ties to the cheaper model, then the baseline). The best of them
/// on the clean test set is reported too, as an upper bound.
public struct ExperimentAnalysis: Sendable {
    public let experiment: String
    public let seeds: [Int]
    public let arms: [ArmResult]
    /// The model-centric candidates: the baseline first, then the variants by name.
    public let variants: [VariantResult]
    /// The data-centric candidates when the arm chose among sub-arms: the baseline, then the
    /// sub-arms by name (empty when it ran the whole recipe alone).
    public let dataCandidates: [VariantResult]
    /// Data-centric minus model-centric test accuracy, paired over the seeds both arms have: the question itself.
    public let dataMinusModel: Comparison?
    /// The comparisons between arms the reports list (data − model, when the experiment has both arms).
    public var comparisons: [Comparison] { [dataMinusModel].compactMap { $0 } }
    /// The data steps that read the true labels no team has (their labels say "oracle"), so the
    /// arms that use them are upper bounds; every report names them.
    public let oracles: [String]
    /// The review curve, when the experiment has one (`arms.review-curve`).
    public let reviewCurve: ReviewCurve?
    /// The experiment's cost schedule as its trials recorded it (`CostSchedule()` for older files).
    public let costs: CostSchedule
    /// Trials that failed, diverged or collapsed (by id, with the error or the evidence), reported beside the tables.
    public let problems: [String]
    /// Per arm: its trials that failed, diverged or collapsed. They are never chosen nor averaged
    /// in; every table that shows the arm shows this count beside it.
    public let failures: [Arm: Int]
    public let classNames: [String]
    /// Whether every trial's test accuracy was scored against gold labels; false: against the
    /// test labels as delivered, and every table says so.
    public let testLabelsAreGold: Bool
    /// How tables head the test accuracy: "test accuracy", or "test accuracy (labels as delivered)".
    public var testAccuracyLabel: String { testLabelsAreGold ? "test accuracy" : "test accuracy (labels as delivered)" }

    public init(records: [TrialRecord]) {
        experiment = records.first?.experiment ?? "experiment"
        classNames = records.first?.classNames ?? []
        testLabelsAreGold = records.allSatisfy(\.testLabelsAreGold)
        let usable = records.filter { $0.metrics != nil && $0.status == .completed }
        costs = records.lazy.compactMap(\.costs).first ?? CostSchedule()
        // The review curve is an oracle by design and says so in its own table; the arms' oracles are listed here.
        oracles = Set(records.filter { $0.arm != .reviewCurve }.flatMap { $0.curation.map(\.name) }.filter { $0.contains("oracle") }).sorted()
        problems = records.filter { $0.status != .completed }.map { "\($0.trialID): \($0.status.rawValue) \($0.error)" }
        failures = Dictionary(grouping: records.filter { $0.status != .completed }, by: \.arm).mapValues(\.count)
        let baseline = Dictionary(usable.filter { $0.arm == .baseline }.map { (Int($0.seed), $0) }, uniquingKeysWith: { a, _ in a })
        seeds = baseline.keys.sorted()
        let trials = { (arm: Arm) in Dictionary(grouping: usable.filter { $0.arm == arm && baseline[Int($0.seed)] != nil }, by: { Int($0.seed) }) }
        var arms: [ArmResult] = []
        let baselineAccuracy = baseline.mapValues { $0.metrics!.accuracy }
        if !seeds.isEmpty {
            arms.append(Self.arm(.baseline, baseline.mapValues { ValidationChoice(only: $0) }, against: nil, spent: Array(baseline.values)))
        }
        let modelCandidates = trials(.modelCentric)
        // A seed whose variants all failed still has the arm: the baseline stays, as when no variant beats it.
        let modelSeeds = Set(records.filter { $0.arm == .modelCentric }.map { Int($0.seed) }).filter { baseline[$0] != nil }
        if !modelSeeds.isEmpty {
            let considered = Dictionary(uniqueKeysWithValues: modelSeeds.map { ($0, [baseline[$0]!] + (modelCandidates[$0] ?? [])) })
            let chosen = considered.mapValues { ValidationChoice(onValidationAmong: $0) }
            let best = considered.mapValues { ValidationChoice(among: $0, maximising: { $0.metrics!.accuracy }) }
            let spent = modelCandidates.values.flatMap { $0 }
            arms.append(Self.arm(.modelCentric, chosen, against: baselineAccuracy, spent: spent))
            arms.append(Self.arm(.modelCentric, best, against: baselineAccuracy, spent: spent, upperBound: true))
            variants = Self.candidates(considered, chosen: chosen)
        } else {
            variants = []
        }
        let subArms = trials(.dataCentric)
        if !subArms.isEmpty {
            // One trial per seed is the whole recipe, taken as it is; several are sub-arms, chosen on validation with the baseline.
            let considered = subArms.reduce(into: [Int: [TrialRecord]]()) { $0[$1.key] = $1.value.count == 1 ? $1.value : [baseline[$1.key]!] + $1.value }
            let chosen = considered.mapValues { ValidationChoice(onValidationAmong: $0) }
            arms.append(Self.arm(.dataCentric, chosen, against: baselineAccuracy, spent: subArms.values.flatMap { $0 },
                                 ledger: subArms.values.map(Self.wholeRecipe)))
            dataCandidates = subArms.values.contains { $0.count > 1 } ? Self.candidates(considered, chosen: chosen) : []
        } else {
            dataCandidates = []
        }
        let thenModel = trials(.dataThenModel)
        if !thenModel.isEmpty {
            // The whole recipe's trial (the sub-arm with the most steps) competes with the model variants on the same data.
            let considered = thenModel.reduce(into: [Int: [TrialRecord]]()) { result, entry in
                result[entry.key] = (subArms[entry.key].map { [Self.wholeRecipe($0)] } ?? []) + entry.value
            }
            let chosen = considered.mapValues { ValidationChoice(onValidationAmong: $0) }
            arms.append(Self.arm(.dataThenModel, chosen, against: baselineAccuracy, spent: thenModel.values.flatMap { $0 },
                                 ledger: thenModel.values.map { $0[0] }))
        }
        self.arms = arms
        reviewCurve = ReviewCurve(baseline: baseline, trials: usable)
        dataMinusModel = Self.difference(arms.first { $0.arm == .dataCentric }, minus: arms.first { $0.arm == .modelCentric && !$0.isUpperBound })
    }

    /// The sub-arm trial with the most steps: the whole recipe.
    private static func wholeRecipe(_ subArms: [TrialRecord]) -> TrialRecord {
        subArms.max { ($0.curation.count, $0.trialID) < ($1.curation.count, $1.trialID) }!
    }

    /// Per candidate (the baseline first, then the others by name): its test and validation
    /// accuracy over seeds and how often validation chose it.
    private static func candidates(_ considered: [Int: [TrialRecord]], chosen: [Int: ValidationChoice]) -> [VariantResult] {
        let all = considered.values.flatMap { $0 }
        let names = [Arm.baseline.rawValue] + Set(all.map(\.variant)).subtracting([Arm.baseline.rawValue]).sorted()
        return names.compactMap { name in
            let mine = all.filter { $0.variant == name }
            guard !mine.isEmpty else { return nil }
            return VariantResult(name: name, testAccuracy: Summary(mine.map { $0.metrics!.accuracy }),
                                 validationAccuracy: Summary(mine.map { $0.metrics!.validationAccuracy ?? .nan }),
                                 timesChosen: chosen.values.reduce(0) { $0 + $1.share(of: name) })
        }
    }

    /// `a − b`, paired over the seeds both have (nil when either arm is missing or they share no seed).
    private static func difference(_ a: ArmResult?, minus b: ArmResult?) -> Comparison? {
        guard let a, let b else { return nil }
        let seeds = Set(a.accuracy.keys).intersection(b.accuracy.keys).sorted()
        guard !seeds.isEmpty else { return nil }
        return .dataMinusModel(PairedComparison(arm: seeds.map { a.accuracy[$0]! }, baseline: seeds.map { b.accuracy[$0]! }))
    }

    /// What `arm` cost per seed under the experiment's `costs`.
    public func costPerSeed(of arm: ArmResult) -> Double {
        costs.cost(of: arm.stepEffort, cpuHours: arm.cpuHours) / Double(max(arm.summary.count, 1))
    }

    /// The result of `arm` (for the model-centric arm, the model validation chose, not the
    /// upper bound), when the experiment has it.
    public func arm(_ arm: Arm) -> ArmResult? { arms.first { $0.arm == arm && !$0.isUpperBound } }

    /// - Parameters: `results` the arm's choice per seed; `spent` every trial the arm paid for.
    /// - Parameters: `ledger` the trials whose data steps count once per seed (the whole recipe's,
    ///   for arms whose trials repeat the same steps); nil: every trial of `spent`.
    private static func arm(_ arm: Arm, _ results: [Int: ValidationChoice], against baseline: [Int: Double]?, spent records: [TrialRecord],
                            ledger: [TrialRecord]? = nil, upperBound: Bool = false) -> ArmResult {
        let accuracy = results.mapValues(\.accuracy)
        let seeds = accuracy.keys.sorted()
        let perSeedRecall = results.mapValues(\.recall)
        let classes = perSeedRecall.values.map(\.count).max() ?? 0
        let recall = (0..<classes).map { k in seeds.reduce(0) { $0 + (perSeedRecall[$1]!.dropFirst(k).first ?? 0) } / Double(seeds.count) }
        let comparison = baseline.map { b in PairedComparison(arm: seeds.map { accuracy[$0]! }, baseline: seeds.map { b[$0]! }) }
        var values: [String: Double] = [:]
        for record in ledger ?? records {
            for step in record.curation { for (key, value) in step.storedValues { values["\(step.name).\(key)", default: 0] += value / Double(seeds.count) } }
        }
        let effort = (ledger ?? records).flatMap(\.curation).compactMap(\.effort).reduce(Effort(), +)
        let cpuHours = records.reduce(0) { $0 + $1.wallSeconds * Double($1.platform["threads"].flatMap(Int.init) ?? 1) / 3600 }
        return ArmResult(arm: arm, isUpperBound: upperBound, accuracy: accuracy, summary: Summary(seeds.map { accuracy[$0]! }),
                         comparison: comparison, trainings: records.count + effort.trainings,
                         trainFLOPs: records.reduce(0) { $0 + $1.trainFLOPs } + effort.trainFLOPs, cpuHours: cpuHours, stepEffort: effort,
                         stepValues: values, recall: recall)
    }
}
