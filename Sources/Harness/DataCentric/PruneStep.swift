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
        var outcomes = ["removed": Double(dropped.count)]
        if context.data.hasGold(dropped) {   // how many were truly wrong, only where the truth is known
            let wrong = dropped.filter { noise[$0] }.count
            outcomes["removed_wrong"] = Double(wrong)
            outcomes["removed_correct"] = Double(dropped.count - wrong)
        }
        context.remove(Set(dropped), reason: "pruned as label issues")
        return StepRecord(name: Self.name, outcomes: outcomes, indices: ["removed": dropped.map(Int64.init)])
    }
}
