import Curation
import Datasets
import Store

/// `prune: {budget: 0.1}` — drops flagged training samples (most likely wrong first) instead of
/// relabeling them; without a budget, every flagged sample goes.
public struct PruneStep: DataStep {
    public static let name = "prune"
    let budget: ReviewBudget?

    public init(options: ConfigReader) throws {
        let o = try options.entries(allowed: ["budget", "count"])
        if let b = o["budget"] { budget = .fraction(try b.double(in: 0...1, description: "a fraction of the training split in [0, 1]")) }
        else if let c = o["count"] { budget = .count(try c.int(minimum: 0, description: "a count ≥ 0")) }
        else { budget = nil }
    }

    public func apply(to context: inout CurationContext) throws -> StepRecord {
        let ranked = try context.requireFlags(for: Self.name)
        let limit = budget?.samples(trainingSize: context.data.indices(in: .train).count) ?? ranked.count
        let dropped = Array(ranked.prefix(limit))
        let noise = context.data.noiseMask
        // How many were truly wrong, only where the truth is known.
        let wrong = context.data.hasGold(dropped) ? dropped.filter { noise[$0] }.count : nil
        context.remove(Set(dropped), reason: "pruned as label issues")
        return StepRecord(name: Self.name, outcome: PruneOutcome(removed: dropped.map(Int64.init), removedWrong: wrong))
    }
}

/// What `prune` dropped: the samples, most likely wrong first, and, where the truth is known, how
/// many of them were truly mislabelled.
public struct PruneOutcome: StepOutcome, Equatable {
    public static let step = PruneStep.name
    public var removed: [Int64]
    public var removedWrong: Int?

    public var stored: StoredOutcome {
        var values = ["removed": Double(removed.count)]
        if let removedWrong {
            values["removed_wrong"] = Double(removedWrong)
            values["removed_correct"] = Double(removed.count - removedWrong)
        }
        return StoredOutcome(values: values, indices: ["removed": removed])
    }

    public init(removed: [Int64], removedWrong: Int?) { self.removed = removed; self.removedWrong = removedWrong }

    public init(stored: StoredOutcome) { self.init(removed: stored.indices["removed"] ?? [], removedWrong: stored.count("removed_wrong")) }
}
