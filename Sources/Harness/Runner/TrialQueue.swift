/// The trials a local run has still to start, handed to its jobs in the run's order (longest
/// first), except that a trial is passed over while a running trial is computing data steps it
/// shares (`CurationCache`): it would only wait for them, leaving its core idle, while another
/// trial could train. The passed-over trial starts once those steps are stored, or when nothing
/// else is left. The order changes no result: each trial is a pure function of its config and seed.
struct TrialQueue {
    /// A trial and the cache keys of its data steps' prefixes (empty without data steps).
    typealias Entry = (trial: Trial, stepKeys: [String])

    private var pending: [Entry]
    /// The step keys of the trials handed out and not finished, by trial id.
    private var running: [String: [String]] = [:]

    init(_ entries: [Entry]) { pending = entries }

    /// The next trial to start, or nil when none is left. `isStored(key)` tells whether the
    /// cache already holds a prefix (then nobody computes it any more).
    mutating func next(isStored: (String) -> Bool) -> Trial? {
        guard !pending.isEmpty else { return nil }
        let beingComputed = Set(running.values.joined().filter { !isStored($0) })
        let index = pending.firstIndex { !$0.stepKeys.contains(where: beingComputed.contains) } ?? 0
        let entry = pending.remove(at: index)
        running[entry.trial.id] = entry.stepKeys
        return entry.trial
    }

    /// Marks trial `id` as finished: its steps are stored or, if they failed, nobody computes them.
    mutating func finished(_ id: String) { running[id] = nil }
}
