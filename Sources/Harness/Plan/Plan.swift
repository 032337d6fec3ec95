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
    /// The recipe the data steps hold fixed for their folds and rounds: the baseline's.
    public let stepRecipe: Recipe
    public let seed: Int
    /// Everything that decides the trial's result, as canonical YAML.
    public let resolvedConfig: String
}

extension ExperimentConfig {
    /// Expands the experiment into trials: for each seed, the baseline, every model-centric
    /// variant, the data-centric arm's sub-arms and the data-then-model trials. Every trial of a
    /// seed sees the same data (same splits, same noise, same test set with gold labels) and the
    /// same initialisation seed, so arms compare in pairs; sub-arms share their steps' seeds, so
    /// each sees what a longer one saw up to its last step.
    public var plan: [Trial] {
        seeds.flatMap { seed in
            var trials = ([(Arm.baseline, baseline)] + modelCentric.map { (Arm.modelCentric, $0) }).map { arm, variant in
                trial(arm: arm, variant: variant, steps: [], stepsText: nil, seed: seed)
            }
            guard let dataCentric else { return trials }
            for subArm in dataCentric.subArms {
                var variant = baseline
                variant.name = subArm.name
                trials.append(trial(arm: .dataCentric, variant: variant, steps: subArm.steps, stepsText: subArm.tree.canonicalText, seed: seed))
            }
            if dataCentric.thenModel {
                let stepsText = dataCentric.tree.canonicalText + "\nsteps_recipe:\n" + indented(baseline.tree.canonicalText)
                trials += modelCentric.map { trial(arm: .dataThenModel, variant: $0, steps: dataCentric.steps, stepsText: stepsText, seed: seed) }
            }
            return trials
        }
    }

    private func trial(arm: Arm, variant: Variant, steps: [any DataStep], stepsText: String?, seed: Int) -> Trial {
        let resolved = ([
            "experiment: \(name)", "arm: \(arm.rawValue)", "variant: \(variant.name)", "seed: \(seed)",
            "dataset:", indented(dataTree.canonicalText), "training:", indented(variant.tree.canonicalText),
        ] + (stepsText.map { ["steps: \($0)"] } ?? [])).joined(separator: "\n")
        return Trial(id: "\(arm.rawValue)-s\(seed)-\(stableHash(resolved))", arm: arm, variant: variant, steps: steps,
                     stepRecipe: baseline.recipe, seed: seed, resolvedConfig: resolved)
    }
}

private func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
}

/// FNV-1a over the UTF-8 bytes, 64 bits, as the first `digits` hex digits: stable across runs,
/// machines and Swift versions (unlike `Hasher`, which is seeded per process).
public func stableHash(_ text: String, digits: Int = 12) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let hex = String(hash, radix: 16)
    return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(digits))
}
