import Engine
import Foundation

/// Runs independent trainings side by side: up to `jobs` at once, each on its own thread with
/// `threadsPerJob` engine workers. A training is a pure function of its inputs and its worker
/// count, so the results are those of running the same trainings one after another on
/// `threadsPerJob` workers; only the wall time changes.
///
/// Work is queued with `add(_:)` and run, in the order queued, by `run()`; queue the longest
/// first so that the trainings left at the end are short and no job waits long for the last.
final class TrainingPool: @unchecked Sendable {   // `queued` is touched only outside `run()`, by the pool's owner
    let jobs: Int
    let threadsPerJob: Int
    private var queued: [() -> Void] = []
    private var failed: (any Error)?
    private let lock = NSLock()

    init(jobs: Int, threadsPerJob: Int) {
        precondition(jobs >= 1 && threadsPerJob >= 1, "a pool needs a job and a thread, got \(jobs) × \(threadsPerJob)")
        self.jobs = jobs
        self.threadsPerJob = threadsPerJob
    }

    /// Queues `work`; its value is read from the returned handle once `run()` has returned.
    func add<Value>(_ work: @escaping () throws -> Value) -> Pending<Value> {
        let pending = Pending<Value>()
        queued.append { [self] in
            if let failure = lock.withLock({ failed }) { pending.outcome = .failure(failure); return }   // a training failed: start no more
            pending.outcome = Result { try work() }
            if case .failure(let error) = pending.outcome { lock.withLock { failed = failed ?? error } }
        }
        return pending
    }

    /// Runs everything queued and empties the queue; returns when all of it is done. After a
    /// failure no further work starts, and each handle not run holds that failure.
    func run() {
        let work = queued
        queued = []
        var next = 0
        let claimNext: () -> (() -> Void)? = { [lock] in
            lock.withLock { () -> (() -> Void)? in
                defer { next += 1 }
                return next < work.count ? work[next] : nil
            }
        }
        let threadsPerJob = threadsPerJob
        let worker = UncheckedSendableWork {
            Parallelism.withWorkers(threadsPerJob) { while let task = claimNext() { task() } }
        }
        let group = DispatchGroup()
        for _ in 0..<min(jobs, work.count) {
            group.enter()
            Thread.detachNewThread { worker.body(); group.leave() }
        }
        group.wait()
    }
}

/// The outcome of work queued on a `TrainingPool`, read after the pool has run.
final class Pending<Value>: @unchecked Sendable {   // written by one job, read after `run()` returns
    fileprivate var outcome: Result<Value, any Error>?

    /// The work's value; throws its error (or the failure that stopped the pool before it ran).
    var value: Value {
        get throws {
            guard let outcome else { preconditionFailure("a pending training read before its pool ran") }
            return try outcome.get()
        }
    }
}

/// A job's loop, handed to the threads that run it; what it reads is guarded by the pool's lock.
private struct UncheckedSendableWork: @unchecked Sendable {
    let body: () -> Void
}
