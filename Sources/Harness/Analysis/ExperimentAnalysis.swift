import Store

/// The analysis of an experiment's trial files: per arm, summaries over seeds and paired
/// comparisons against the baseline with their verdicts, and the question itself — data-centric
/// minus model-centric, paired. An arm that has candidates (the model-centric arm: the baseline,
/// its variants and their stacks; the data-centric arm: the baseline and its cumulative sub-arms)
/// takes per seed the one its validation prefers, by `ValidationChoice`, on the validation set as
/// delivered or on the checked validation images as the analysis plan says (ties to the cheaper
/// model, then the baseline). The best candidate on the clean test set is reported too, as an
/// upper bound, and each choosing arm's regret against it under both choosers.
public struct ExperimentAnalysis: Sendable {
    public let experiment: String
    public let seeds: [Int]
    public let arms: [ArmResult]
    /// The model-centric candidates: the baseline first, then the variants and stacks by name.
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
    /// The experiment's pre-registered analysis plan, as its trials recorded it (`AnalysisPlan()` for older files).
    public let analysisPlan: AnalysisPlan
    /// Trials that failed, diverged or collapsed (by id, with the error or the evidence), reported beside the tables.
    public let problems: [String]
    /// Per arm: its trials that failed, diverged or collapsed. They are never chosen nor averaged
    /// in; every table that shows the arm shows this count beside it.
    public let failures: [Arm: Int]
    public let classNames: [String]
    /// Whether every trial's test accuracy was scored against gold labels; false: against the
    /// test labels as delivered, and every table says so.
    public let testLabelsAreGold: Bool
    /// How tables head the test score: "test accuracy", "test balanced accuracy", or either with
    /// "(labels as delivered)".
    public var testAccuracyLabel: String { "test \(analysisPlan.metric.name)" + (testLabelsAreGold ? "" : " (labels as delivered)") }
    /// Whether every trial was scored on checked validation images too, so both choosers can be compared.
    public let hasVerifiedValidation: Bool
    /// How finely the test set separates models (nil: the trials kept no test labels).
    public let testSet: TestSetQuality?
    /// Test images per class of the first report seed's baseline (its confusion matrix's rows;
    /// empty without one): what a single class's share of the test set is read from.
    public let testClassCounts: [Int]

    public init(records: [TrialRecord]) {
        experiment = records.first?.experiment ?? "experiment"
        classNames = records.first?.classNames ?? []
        testLabelsAreGold = records.allSatisfy(\.testLabelsAreGold)
        costs = records.lazy.compactMap(\.costs).first ?? CostSchedule()
        let plan = records.lazy.compactMap(\.analysisPlan).first ?? AnalysisPlan()
        analysisPlan = plan
        // A trial file written before validation's balanced accuracy was kept cannot be chosen on it.
        let unscored = records.filter { $0.metrics.map { $0.validationAccuracy != nil && $0.validation(plan.metric, verified: false) == nil } ?? false }
        let unscoredIDs = Set(unscored.map(\.trialID))
        let usable = records.filter { $0.metrics != nil && $0.status == .completed && !unscoredIDs.contains($0.trialID) }
        let verified = !usable.isEmpty && usable.allSatisfy { $0.metrics?.validation(plan.metric, verified: true) != nil }
        hasVerifiedValidation = verified
        // The review curve is an oracle by design and says so in its own table; the arms' oracles are listed here.
        oracles = Set(records.filter { $0.arm != .reviewCurve }.flatMap { $0.curation.map(\.name) }.filter { $0.contains("oracle") }).sorted()
        problems = records.filter { $0.status != .completed }.map { "\($0.trialID): \($0.status.rawValue) \($0.error)" }
            + unscored.map { "\($0.trialID): recorded no validation \(plan.metric.name), which analysis.metric chooses on; run it again (flywheel run --fresh)" }
        failures = Dictionary(grouping: records.filter { $0.status != .completed || unscoredIDs.contains($0.trialID) }, by: \.arm).mapValues(\.count)
        let baseline = Dictionary(usable.filter { $0.arm == .baseline }.map { (Int($0.seed), $0) }, uniquingKeysWith: { a, _ in a })
        seeds = baseline.keys.sorted()
        testSet = TestSetQuality(baseline: seeds.map { baseline[$0]! })
        testClassCounts = seeds.first.map { baseline[$0]!.metrics!.confusion.map { $0.reduce(0, +) } } ?? []
        let trials = { (arm: Arm) in Dictionary(grouping: usable.filter { $0.arm == arm && baseline[Int($0.seed)] != nil }, by: { Int($0.seed) }) }
        let context = Context(plan: plan, verified: verified, baseline: baseline.mapValues { $0.metrics!.test(plan.metric) })
        var arms: [ArmResult] = []
        if !seeds.isEmpty {
            arms.append(context.arm(.baseline, baseline.mapValues { ValidationChoice(only: $0, metric: plan.metric) }, spent: Array(baseline.values)))
        }
        let modelCandidates = trials(.modelCentric)
        // A seed whose variants all failed still has the arm: the baseline stays, as when no variant beats it.
        let modelSeeds = Set(records.filter { $0.arm == .modelCentric }.map { Int($0.seed) }).filter { baseline[$0] != nil }
        if !modelSeeds.isEmpty {
            let considered = Dictionary(uniqueKeysWithValues: modelSeeds.map { ($0, [baseline[$0]!] + (modelCandidates[$0] ?? [])) })
            let chosen = considered.mapValues { ValidationChoice(on: plan.chooseOn, metric: plan.metric, among: $0) }
            let spent = modelCandidates.values.flatMap { $0 }
            arms.append(context.arm(.modelCentric, chosen, spent: spent, choosingAmong: considered))
            arms.append(context.arm(.modelCentric, considered.mapValues { ValidationChoice(bestOnTestAmong: $0, metric: plan.metric) }, spent: spent, upperBound: true))
            variants = context.candidates(considered, chosen: chosen)
        } else {
            variants = []
        }
        let subArms = trials(.dataCentric)
        if !subArms.isEmpty {
            // One trial per seed is the whole recipe, taken as it is; several are sub-arms, chosen on validation with the baseline.
            let considered = subArms.reduce(into: [Int: [TrialRecord]]()) { $0[$1.key] = $1.value.count == 1 ? $1.value : [baseline[$1.key]!] + $1.value }
            let chosen = considered.mapValues { ValidationChoice(on: plan.chooseOn, metric: plan.metric, among: $0) }
            let choosing = subArms.values.contains { $0.count > 1 }
            arms.append(context.arm(.dataCentric, chosen, spent: subArms.values.flatMap { $0 }, ledger: subArms.values.map(Self.wholeRecipe),
                                    choosingAmong: choosing ? considered : nil))
            dataCandidates = choosing ? context.candidates(considered, chosen: chosen) : []
        } else {
            dataCandidates = []
        }
        let thenModel = trials(.dataThenModel)
        if !thenModel.isEmpty {
            // The whole recipe's trial (the sub-arm with the most steps) competes with the model variants on the same data.
            let considered = thenModel.reduce(into: [Int: [TrialRecord]]()) { result, entry in
                result[entry.key] = (subArms[entry.key].map { [Self.wholeRecipe($0)] } ?? []) + entry.value
            }
            let chosen = considered.mapValues { ValidationChoice(on: plan.chooseOn, metric: plan.metric, among: $0) }
            arms.append(context.arm(.dataThenModel, chosen, spent: thenModel.values.flatMap { $0 }, ledger: thenModel.values.map { $0[0] },
                                    choosingAmong: considered))
        }
        self.arms = arms
        reviewCurve = ReviewCurve(baseline: baseline, trials: usable)
        dataMinusModel = Self.difference(arms.first { $0.arm == .dataCentric }, minus: arms.first { $0.arm == .modelCentric && !$0.isUpperBound }, plan: plan)
    }

    /// The sub-arm trial with the most steps: the whole recipe.
    private static func wholeRecipe(_ subArms: [TrialRecord]) -> TrialRecord {
        subArms.max { ($0.curation.count, $0.trialID) < ($1.curation.count, $1.trialID) }!
    }

    /// `a − b`, paired over the seeds both have, decided by `plan` (nil when either arm is missing or they share no seed).
    private static func difference(_ a: ArmResult?, minus b: ArmResult?, plan: AnalysisPlan) -> Comparison? {
        guard let a, let b else { return nil }
        let seeds = Set(a.accuracy.keys).intersection(b.accuracy.keys).sorted()
        guard !seeds.isEmpty else { return nil }
        return .dataMinusModel(Judgement(a: seeds.map { a.accuracy[$0]! }, b: seeds.map { b.accuracy[$0]! }, plan: plan))
    }

    /// What `arm` cost per seed under the experiment's `costs`: its data steps, the checked
    /// validation images it chose on, and its CPU-hours.
    public func costPerSeed(of arm: ArmResult) -> Double {
        costs.cost(of: arm.stepEffort + arm.selectionEffort, cpuHours: arm.cpuHours) / Double(max(arm.summary.count, 1))
    }

    /// The result of `arm` (for the model-centric arm, the model validation chose, not the
    /// upper bound), when the experiment has it.
    public func arm(_ arm: Arm) -> ArmResult? { arms.first { $0.arm == arm && !$0.isUpperBound } }
}

/// What every arm of one analysis is computed with: the analysis plan, whether checked
/// validation labels exist, and the baseline's accuracy per seed.
private struct Context {
    let plan: AnalysisPlan
    let verified: Bool
    let baseline: [Int: Double]

    /// - Parameters: `results` the arm's choice per seed; `spent` every trial the arm paid for;
    ///   `ledger` the trials whose data steps count once per seed (the whole recipe's, for arms
    ///   whose trials repeat the same steps; nil: every trial of `spent`); `choosingAmong` the
    ///   candidates per seed of an arm that chooses (nil: it does not).
    func arm(_ arm: Arm, _ results: [Int: ValidationChoice], spent unordered: [TrialRecord], ledger unorderedLedger: [TrialRecord]? = nil,
             choosingAmong candidates: [Int: [TrialRecord]]? = nil, upperBound: Bool = false) -> ArmResult {
        // Sums in trial-id order, so the same trials give the same digits in every process.
        let records = unordered.sorted { $0.trialID < $1.trialID }, ledger = unorderedLedger?.sorted { $0.trialID < $1.trialID }
        let accuracy = results.mapValues(\.score)
        let seeds = accuracy.keys.sorted()
        let perSeedRecall = results.mapValues(\.recall)
        let classes = perSeedRecall.values.map(\.count).max() ?? 0
        let recall = (0..<classes).map { k in seeds.reduce(0) { $0 + (perSeedRecall[$1]!.dropFirst(k).first ?? 0) } / Double(seeds.count) }
        let judgement = arm == .baseline ? nil : Judgement(a: seeds.map { accuracy[$0]! }, b: seeds.map { baseline[$0]! }, plan: plan)
        var values: [String: Double] = [:]
        for record in ledger ?? records {
            for step in record.curation { for (key, value) in step.storedValues { values["\(step.name).\(key)", default: 0] += value / Double(seeds.count) } }
        }
        let effort = (ledger ?? records).flatMap(\.curation).compactMap(\.effort).reduce(Effort(), +)
        let cpuHours = records.reduce(0) { $0 + $1.wallSeconds * Double($1.platform["threads"].flatMap(Int.init) ?? 1) / 3600 }
        let chooses = candidates != nil && !upperBound
        return ArmResult(arm: arm, isUpperBound: upperBound, accuracy: accuracy, summary: Summary(seeds.map { accuracy[$0]! }),
                         judgement: judgement, regret: chooses ? regret(candidates!) : nil,
                         trainings: records.count + effort.trainings, trainFLOPs: records.reduce(0) { $0 + $1.trainFLOPs } + effort.trainFLOPs,
                         cpuHours: cpuHours, stepEffort: effort,
                         selectionEffort: Effort(reviewed: chooses ? plan.checkedValidationImages * seeds.count : 0),
                         stepValues: values, recall: recall)
    }

    /// Per seed, the best candidate's test accuracy minus the chosen one's, averaged, under each chooser.
    func regret(_ candidates: [Int: [TrialRecord]]) -> ChoiceRegret {
        let seeds = candidates.keys.sorted()
        let best = candidates.mapValues { $0.map { $0.metrics!.test(plan.metric) }.max()! }
        let mean = { (chooser: AnalysisPlan.Chooser) in
            seeds.reduce(0) { $0 + best[$1]! - ValidationChoice(on: chooser, metric: plan.metric, among: candidates[$1]!).score } / Double(seeds.count)
        }
        guard verified else { return ChoiceRegret(delivered: mean(.delivered), verified: nil, seedsWhereTheyDiffer: nil) }
        let differ = seeds.filter { seed in
            Set(ValidationChoice(on: .delivered, metric: plan.metric, among: candidates[seed]!).picked.map(\.trialID))
                != Set(ValidationChoice(on: .verified, metric: plan.metric, among: candidates[seed]!).picked.map(\.trialID))
        }.count
        return ChoiceRegret(delivered: mean(.delivered), verified: mean(.verified), seedsWhereTheyDiffer: differ)
    }

    /// Per candidate (the baseline first, then the others by name): its test and validation
    /// accuracy over seeds and how often the arm's chooser picked it.
    func candidates(_ considered: [Int: [TrialRecord]], chosen: [Int: ValidationChoice]) -> [VariantResult] {
        let all = considered.values.flatMap { $0 }.sorted { $0.trialID < $1.trialID }
        let names = [Arm.baseline.rawValue] + Set(all.map(\.variant)).subtracting([Arm.baseline.rawValue]).sorted()
        return names.compactMap { name in
            let mine = all.filter { $0.variant == name }
            guard !mine.isEmpty else { return nil }
            return VariantResult(name: name, testAccuracy: Summary(mine.map { $0.metrics!.test(plan.metric) }),
                                 validationAccuracy: Summary(mine.map { $0.metrics!.validation(plan.metric, verified: false) ?? .nan }),
                                 verifiedValidationAccuracy: verified ? Summary(mine.map { $0.metrics!.validation(plan.metric, verified: true) ?? .nan }) : nil,
                                 timesChosen: chosen.keys.sorted().reduce(0) { $0 + chosen[$1]!.share(of: name) })
        }
    }
}
