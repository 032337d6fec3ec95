import Foundation
import Store

/// The data steps' results within one run, shared by the trials that repeat them: the data
/// arm's sub-arms, the data-then-model trials and the review curve all start with the same
/// steps on the same seed. A step is a pure function of the seed's data, its options and the
/// steps before it, so a prefix computed once serves every trial that shares it, bit for bit.
/// A trial asking for a prefix another job is computing waits for it instead of repeating it.
/// The compute is counted once, in the wall time of the trial that did it: a trial's time spent
/// waiting is returned so it can be left out of its own.
final class CurationCache: @unchecked Sendable {
    /// The context after a prefix of steps, and the records of those steps.
    typealias State = (context: CurationContext, records: [StepRecord])

    private let condition = NSCondition()
    private var done: [String: State] = [:]
    private var inProgress: Set<String> = []

    /// Whether the state under `key` is stored (asking for it will not wait or compute).
    func isStored(_ key: String) -> Bool { condition.withLock { done[key] != nil } }

    /// The state stored under `key`, computed by `compute` the first time anyone asks. Errors are
    /// not stored: the next trial asking tries again.
    /// - Parameter waited: increased by the seconds spent waiting for another trial's computation.
    func state(for key: String, waited: inout Double, compute: () throws -> State) throws -> State {
        condition.lock()
        let start = Date()
        while inProgress.contains(key) { condition.wait() }
        waited += Date().timeIntervalSince(start)
        if let hit = done[key] {
            condition.unlock()
            return hit
        }
        inProgress.insert(key)
        condition.unlock()
        defer {
            condition.lock()
            inProgress.remove(key)
            condition.broadcast()
            condition.unlock()
        }
        let state = try compute()
        condition.lock()
        done[key] = state
        condition.unlock()
        return state
    }
}

extension Trial {
    /// The keys `CurationCache` stores the data under after each prefix of the trial's steps,
    /// shortest first: the seed, the recipe the steps hold fixed, and the steps' texts so far.
    var curationKeys: [String] {
        var key = "seed \(seed)\nrecipe " + ResolvedTrial.canonical(stepRecipe)
        return stepTexts.map { text in
            key += "\n- " + text
            return key
        }
    }
}
