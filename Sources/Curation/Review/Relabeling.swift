import Datasets
import Engine
import Store

/// How many flagged samples a review may look at.
public enum ReviewBudget: Sendable, Equatable, Encodable {
    /// A fraction of the training split's size (so the cost does not depend on how many were flagged).
    case fraction(Double)
    case count(Int)

    /// Samples that may be reviewed, out of `trainingSize`.
    public func samples(trainingSize: Int) -> Int {
        switch self {
        case .fraction(let f): Int((f * Double(trainingSize)).rounded())
        case .count(let n): n
        }
    }
}

/// What relabeling did: its cost and, where the truth is known, its effect.
public struct RelabelOutcome: Sendable, Equatable {
    public var effort: Effort
    /// Labels that were wrong and are now right.
    public var fixed: Int
    /// Labels that were right and are now wrong.
    public var broken: Int
    /// The samples reviewed, in review order.
    public var reviewed: [Int]
    /// Whether every reviewed sample has a gold label, so `fixed` and `broken` mean something.
    public var truthKnown = true

    /// Nothing changed yet: `effort` is what the review cost so far.
    public init(effort: Effort, reviewed: [Int]) {
        self.effort = effort; self.reviewed = reviewed; fixed = 0; broken = 0
    }

    /// Counts one label changed from `before` to `after`, as fixed or broken where `truth` (≥ 0) is known.
    public mutating func record(change before: Int32, to after: Int32, truth: Int32) {
        effort.labelsChanged += 1
        guard truth >= 0 else { return }
        if before != truth && after == truth { fixed += 1 }
        if before == truth && after != truth { broken += 1 }
    }

    /// `labels_fixed` and `labels_broken`, as a data step stores them beside its effort; nothing
    /// where the truth of a reviewed sample is unknown.
    public var outcomes: [String: Double] { truthKnown ? ["labels_fixed": Double(fixed), "labels_broken": Double(broken)] : [:] }
}

/// Spends a review budget on flagged samples in rank order: the reviewer writes each one's
/// label, replacing the delivered label. The original labels stay in the dataset's history
/// (provenance) and in the trial's ledger.
public struct Relabeling: Sendable {
    public var budget: ReviewBudget
    public var reviewer: Reviewer
    public var seed: UInt64

    public init(budget: ReviewBudget, reviewer: Reviewer, seed: UInt64) {
        self.budget = budget; self.reviewer = reviewer; self.seed = seed
    }

    /// - Parameter ranked: flagged samples, most likely mislabelled first.
    public func apply(to data: Dataset, ranked: [Int]) throws -> (Dataset, RelabelOutcome) {
        let allowed = budget.samples(trainingSize: data.indices(in: .train).count)
        let chosen = Array(ranked.prefix(allowed))
        var result = data
        var generator = SplitMix64(seed: seed)
        var outcome = RelabelOutcome(effort: Effort(reviewed: chosen.count), reviewed: chosen)
        outcome.truthKnown = data.hasGold(chosen)
        for i in chosen {
            let before = result.delivered[i]
            let after = try reviewer.label(i, in: data, using: &generator)
            guard after != before else { continue }
            result.delivered[i] = after
            outcome.record(change: before, to: after, truth: data.gold[i])
        }
        result.record(step: "relabel reviewed=\(chosen.count) changed=\(outcome.effort.labelsChanged) reviewer=\(reviewer)")
        return (result, outcome)
    }
}
