/// One unit of work: an arm's variant trained and scored on one seed's data.
public struct Trial: Sendable, Equatable {
    /// Stable id: arm, seed and a hash of the resolved trial config, so the same trial is
    /// recognised across runs and machines.
    public let id: String
    /// "baseline" or "model-centric".
    public let arm: String
    public let variant: Variant
    public let seed: Int
    /// Everything that decides the trial's result, as canonical YAML.
    public let resolvedConfig: String
}

extension ExperimentConfig {
    /// Expands the experiment into trials: for each seed, the baseline and every model-centric
    /// variant. Every trial of a seed sees the same data (same splits, same noise, same test set
    /// with gold labels) and the same initialisation seed, so arms compare in pairs.
    public var plan: [Trial] {
        seeds.flatMap { seed in
            ([("baseline", baseline)] + modelCentric.map { ("model-centric", $0) }).map { arm, variant in
                let resolved = [
                    "experiment: \(name)", "arm: \(arm)", "variant: \(variant.name)", "seed: \(seed)",
                    "dataset:", indented(dataTree.canonicalText), "training:", indented(variant.tree.canonicalText),
                ].joined(separator: "\n")
                return Trial(id: "\(arm)-s\(seed)-\(stableHash(resolved))", arm: arm, variant: variant, seed: seed, resolvedConfig: resolved)
            }
        }
    }
}

private func indented(_ text: String) -> String {
    text.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n")
}

/// FNV-1a over the UTF-8 bytes, 64 bits, as 12 hex digits: stable across runs, machines and
/// Swift versions (unlike `Hasher`, which is seeded per process).
func stableHash(_ text: String) -> String {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01B3 }
    let hex = String(hash, radix: 16)
    return String((String(repeating: "0", count: 16 - hex.count) + hex).prefix(12))
}
