import CFloatingPoint
import CWorkerTeam
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
/// (fewer when `count` is smaller), concurrently; returns when all are done. The chunks run on the
/// engine's team of threads (`fw_team_run`: kept spinning between regions, so a network's layers
/// do not each pay for waking threads), or on Dispatch's when the team is busy with another
/// caller's region; worker `w` always gets chunk `w`, so the results are the same either way.
@inline(__always)
func forEachChunk(of count: Int, _ body: (Range<Int>, Int) -> Void) {
    let workers = min(Parallelism.workers, count)
    if workers <= 1 { body(0..<count, 0); return }
    withoutActuallyEscaping(body) { body in
        var region = Region(body: body, workers: workers, count: count)
        let ran = withUnsafeMutablePointer(to: &region) { pointer in
            fw_team_run(Int32(workers), { context, worker in
                context!.assumingMemoryBound(to: Region.self).pointee.run(worker: Int(worker))
            }, pointer)
        }
        if ran != 0 { return }
        let box = UncheckedSendable(region)
        DispatchQueue.concurrentPerform(iterations: workers) { box.value.run(worker: $0) }
    }
}

/// Calls `body(range)` for contiguous ranges of `0..<count` elements, one per worker when there
/// are at least `elementsWorthSplitting`, else once on the calling thread: for element-by-element
/// passes, whose results do not depend on how they are split.
@inline(__always)
func forEachElementRange(of count: Int, _ body: (Range<Int>) -> Void) {
    forEachChunk(of: count, if: count >= elementsWorthSplitting) { range, _ in body(range) }
}

/// The fewest elements an element-by-element pass splits across the workers: 128 KB a stream,
/// a few microseconds of memory traffic, against well under one for a region on the team.
let elementsWorthSplitting = 1 << 15

/// One parallel region of `forEachChunk`: its body and how to split `0..<count` among `workers`.
private struct Region {
    let body: (Range<Int>, Int) -> Void
    let workers, count: Int

    /// Worker `worker`'s chunk, on whichever thread runs it.
    func run(worker: Int) {
        fw_flush_denormals_to_zero()   // the control register is per thread
        body(chunk(worker, of: workers, count: count), worker)
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
