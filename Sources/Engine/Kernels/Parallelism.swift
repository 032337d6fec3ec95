import CFloatingPoint
import Dispatch
import Foundation

/// How many threads the engine's own loops use. Convolutions, pooling and elementwise layers
/// split the batch into this many contiguous chunks, one per thread, each running its GEMMs on
/// one OpenBLAS thread: for the small per-image GEMMs of these networks that beats OpenBLAS's own
/// threading. Results are deterministic for a given worker count (each worker accumulates its
/// weight gradients privately; the partial sums are added in worker order).
public enum Parallelism {
    nonisolated(unsafe) private static var configuredWorkers = 1
    @TaskLocal private static var scopedWorkers: Int?

    /// Threads the engine splits work across (1 = everything on the calling thread).
    public static var workers: Int { scopedWorkers ?? configuredWorkers }

    /// Runs `body` with `threads` workers for the current task only (tests use it to try
    /// several counts side by side); OpenBLAS must already run one thread per call.
    public static func withWorkers<R>(_ threads: Int, _ body: () throws -> R) rethrows -> R {
        precondition(threads >= 1, "thread count must be at least 1, got \(threads)")
        return try $scopedWorkers.withValue(threads, operation: body)
    }

    /// Engine threads for each of `jobs` trainings run side by side: the machine's cores shared
    /// among them, at least one.
    public static func threads(sharingCoresAmong jobs: Int) -> Int {
        max(1, ProcessInfo.processInfo.activeProcessorCount / max(1, jobs))
    }

    /// Uses `threads` threads: the engine's loops split across them and OpenBLAS runs one
    /// thread per call. Set it before training starts, not during a step.
    public static func set(threads: Int) {
        precondition(threads >= 1, "thread count must be at least 1, got \(threads)")
        configuredWorkers = threads
        BLASThreads.set(1)
    }
}

/// Calls `body(range, worker)` for `Parallelism.workers` contiguous chunks of `0..<count`
/// (fewer when `count` is smaller), concurrently; returns when all are done.
@inline(__always)
func forEachChunk(of count: Int, _ body: (Range<Int>, Int) -> Void) {
    let workers = min(Parallelism.workers, count)
    if workers <= 1 { body(0..<count, 0); return }
    withoutActuallyEscaping(body) { body in
        let box = UncheckedSendable(body)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            fw_flush_denormals_to_zero()   // the control register is per thread
            box.value(chunk(worker, of: workers, count: count), worker)
        }
    }
}

/// `forEachChunk(of:_:)` where `worthSplitting`; otherwise `body(0..<count, 0)` on the calling
/// thread (work too small to pay for waking the other workers).
@inline(__always)
func forEachChunk(of count: Int, if worthSplitting: Bool, _ body: (Range<Int>, Int) -> Void) {
    if worthSplitting { forEachChunk(of: count, body) } else { body(0..<count, 0) }
}

/// The `worker`-th of `workers` nearly equal contiguous parts of `0..<count`.
func chunk(_ worker: Int, of workers: Int, count: Int) -> Range<Int> {
    (worker * count / workers)..<((worker + 1) * count / workers)
}

/// Carries a value into a concurrent region whose accesses the caller keeps disjoint.
struct UncheckedSendable<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
