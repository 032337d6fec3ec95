import Engine
import Store

/// One unit of work: an arm's variant trained and scored on one seed's data.
public struct Trial: Sendable {
    /// Stable id: arm, seed and a hash of the resolved trial config, so the same trial is
    /// recognised across runs and machines.
    public let id: String
    public let arm: Arm
    /// The model and training of the trial's final model (the baseline's, for the data-centric arm).
    public let variant: Variant
    /// The data steps applied before training (data-centric and data-then-model arms).
    public let steps: [any DataStep]
    /// Each step's resolved options as canonical text: with the seed and `stepRecipe`, what
    /// decides the data after a prefix of the steps (the key `CurationCache` shares it under).
    public let stepTexts: [String]
    /// The recipe the data steps hold fixed for their folds and rounds: the baseline's.
    public let stepRecipe: Recipe
    public let seed: Int
    /// For a model stack, the levers it applies together (empty otherwise).
    public var levers: [Variant] = []
    /// Everything that decides the trial's result, every default filled in, as canonical JSON
    /// (`ResolvedTrial`); the id hashes it.
    public let resolvedConfig: String
}

extension ExperimentConfig {
    /// The trials known before any result: every trial of the seeds a run starts with.
    public var plan: [Trial] { plan(given: []) }

    /// The trials the finished trials `records` call for (any resolution; failed ones count as not
    /// run). For each seed in play: the baseline, every model-centric variant, the review curve's
    /// points, the data-centric arm's sub-arms and the data-then-model trials — every trial of a
    /// seed sees the same data (same splits, same noise, same test set with gold labels) and the
    /// same initialisation seed, so arms compare in pairs, and sub-arms share their steps' seeds —
    /// then, per seed, the model stacks the single levers' results call for (`ModelStack`). The
    /// seeds in play are all of `seeds`, or, with the sequential rule, as many as its looks so far
    /// call for (`seedsInPlay`). Trials the results add come after those they depend on.
    public func plan(given records: [TrialRecord]) -> [Trial] {
        let done = Dictionary(records.filter { $0.status != .failed }.map { ($0.trialID, $0) }, uniquingKeysWith: { a, _ in a })
        let seeds = seedsInPlay(done)
        let perSeed = seeds.map { fixedTrials(seed: $0) }
        let stacks = zip(seeds, perSeed).flatMap { seed, trials in
            stackTrials(seed: seed, singles: trials.filter { $0.arm == .baseline || $0.arm == .modelCentric }, done: done)
        }
        return perSeed.flatMap { $0 } + stacks
    }

    /// The trials of `seed` that no result decides.
    func fixedTrials(seed: Int) -> [Trial] {
        var trials = ([(Arm.baseline, baseline)] + modelCentric.map { (Arm.modelCentric, $0) }).map { arm, variant in
            trial(arm: arm, variant: variant, steps: [], seed: seed)
        }
        if let reviewCurve {
            trials += reviewCurve.points.map { point in
                trial(arm: .reviewCurve, variant: baseline.renamed(point.name), steps: point.steps, seed: seed)
            }
        }
        guard let dataCentric else { return trials }
        trials += dataCentric.subArms.map { subArm in
            trial(arm: .dataCentric, variant: baseline.renamed(subArm.name), steps: subArm.steps, seed: seed)
        }
        if dataCentric.thenModel {
            trials += modelCentric.map { trial(arm: .dataThenModel, variant: $0, steps: dataCentric.steps, seed: seed) }
        }
        return trials
    }

    /// The trial of `variant` in `arm` on `seed`, after `steps`: its id hashes its resolved config.
    func trial(arm: Arm, variant: Variant, steps: [any DataStep], seed: Int) -> Trial {
        let resolvedSteps = steps.map(ResolvedStep.init)
        let resolved = ResolvedTrial(experiment: name, arm: arm.rawValue, variant: variant.name, seed: seed, dataset: data,
                                     training: variant.recipe, steps: steps.isEmpty ? nil : resolvedSteps,
                                     stepsRecipe: steps.isEmpty ? nil : baseline.recipe).canonicalText
        return Trial(id: "\(arm.rawValue)-s\(seed)-\(stableHash(resolved))", arm: arm, variant: variant, steps: steps,
                     stepTexts: resolvedSteps.map(\.canonicalText), stepRecipe: baseline.recipe, seed: seed, resolvedConfig: resolved)
    }
}

extension Variant {
    /// The same recipe under another name (a data-centric sub-arm, a review-curve point).
    func renamed(_ name: String) -> Variant {
        var copy = self
        copy.name = name
        return copy
    }
}

/// FNV-1a over the UTF-8 bytes, 64 bits, as the first `digits` hex digits: stable across runs,
/// machines and Swift versions (unlike `Hasher`, which is seeded per process).
public func stableHash(_ text: String, digits: Int = 12) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let hex = String(hash, radix: 16)
    return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(digits))
}
