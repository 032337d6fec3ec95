import Engine
import Store

/// `arms.model-centric.stack: {depth: 3, breadth: 3}` — the model arm's levers stacked like the
/// data arm's steps, by greedy forward selection on validation, per seed: the best single lever
/// (the variant the arm's chooser prefers, unless it is the baseline), then that lever with each of
/// the `breadth` next-best levers it combines with, keeping the best if it beats the lever alone,
/// and so on up to `depth` levers. Two levers combine when they set different keys (cnn-wide and
/// resnet-8 both set `model`, so they do not). The stacks are trials of the model-centric arm,
/// named "A + B", and the arm chooses among them with its single levers; every one counts among
/// the arm's trainings.
public struct ModelStack: Sendable, Equatable {
    /// Most levers in one stack (≥ 2).
    public let depth: Int
    /// Levers tried on top of the current stack at each level.
    public let breadth: Int

    static func decode(_ reader: ConfigReader, variants: Int) throws -> ModelStack {
        let entries = try reader.entries(allowed: ["depth", "breadth"])
        guard let depth = entries["depth"] else { throw ConfigError("\(reader.path).depth: missing; how many levers a stack may hold, ≥ 2 (\(reader.tree.origin))") }
        let stack = ModelStack(depth: try depth.int(minimum: 2, description: "at least 2 levers"),
                               breadth: try entries["breadth"]?.positiveInt() ?? max(1, variants - 1))
        guard variants >= 2 else {
            throw ConfigError("\(reader.path): a stack needs at least two variants to combine, the arm has \(variants) (\(reader.tree.origin))")
        }
        return stack
    }
}

extension ExperimentConfig {
    /// The stacks to train on `seed` given the trials finished so far (`done`, by id): each level
    /// once the level before it has finished; empty without a stack or before the single levers
    /// have all finished.
    func stackTrials(seed: Int, singles: [Trial], done: [String: TrialRecord]) -> [Trial] {
        guard let modelStack, singles.allSatisfy({ done[$0.id] != nil }) else { return [] }
        let usable = singles.compactMap { done[$0.id] }.filter { $0.status == .completed && $0.metrics != nil }
        guard let first = choice(among: usable), first.arm != .baseline,
              var current = modelCentric.first(where: { $0.name == first.variant }).map({ [$0] }) else { return [] }
        let score = { (record: TrialRecord) in self.analysisPlan.chooseOn.validationScore(record, metric: self.analysisPlan.metric) }
        // The other single levers, best on validation first (file order among equals).
        let ranked = modelCentric.compactMap { variant in usable.first { $0.arm == .modelCentric && $0.variant == variant.name }.map { (variant, score($0)) } }
            .enumerated().sorted { ($0.element.1, -$0.offset) > ($1.element.1, -$1.offset) }.map(\.element.0)
        var currentRecord = first, planned: [Trial] = []
        for _ in 2...modelStack.depth {
            let additions = ranked.filter { lever in !current.contains(lever) && Self.combines(current + [lever]) }.prefix(modelStack.breadth)
            let trials = additions.compactMap { lever in try? stacked(current + [lever], seed: seed) }
            guard !trials.isEmpty else { break }
            planned += trials
            guard trials.allSatisfy({ done[$0.id] != nil }) else { break }
            let level = trials.compactMap { done[$0.id] }.filter { $0.status == .completed && $0.metrics != nil }
            guard let best = choice(among: [currentRecord] + level), best.trialID != currentRecord.trialID,
                  let trial = trials.first(where: { $0.id == best.trialID }) else { break }
            currentRecord = best
            current = trial.levers
        }
        return planned
    }

    /// The arm's choice among `records` (the first of candidates still tied).
    private func choice(among records: [TrialRecord]) -> TrialRecord? {
        records.isEmpty ? nil : ValidationChoice(on: analysisPlan.chooseOn, metric: analysisPlan.metric, among: records).picked.first
    }

    /// Whether the levers set different keys, so they can be applied together.
    static func combines(_ levers: [Variant]) -> Bool {
        let keys = levers.flatMap { $0.overrides.map(\.key) }
        return Set(keys).count == keys.count
    }

    /// The model-centric trial of `levers` applied together to the baseline.
    private func stacked(_ levers: [Variant], seed: Int) throws -> Trial {
        let overrides = levers.flatMap(\.overrides)
        let name = levers.map(\.name).joined(separator: " + ")
        let recipe = try Recipe.decode(ConfigReader(try baselineTree.applying(overrides), path: "arms.model-centric.stack \(name)"))
        var trial = trial(arm: .modelCentric, variant: Variant(name: name, recipe: recipe, overrides: overrides), steps: [], seed: seed)
        trial.levers = levers
        return trial
    }
}
