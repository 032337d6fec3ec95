import CWorkerTeam
import Foundation
import Testing
@testable import Engine

/// The engine's team of threads (`fw_team_run`) and `forEachChunk` on it: every worker's chunk
/// runs once, worker 0 on the calling thread; a caller that finds the team busy — a nested region,
/// or another thread's at the same time — is told so, and `forEachChunk` then runs its region on
/// Dispatch.
@Suite struct WorkerTeamTests {
    /// What a region's workers did: how often each index ran, on which thread worker 0 ran, and
    /// what a nested call returned.
    private final class Visits: @unchecked Sendable {
        let lock = NSLock()
        var counts = [Int](repeating: 0, count: 8)
        var firstThread: Thread?
        var nested: Int32?

        func record(_ worker: Int) {
            lock.withLock {
                counts[worker] += 1
                if worker == 0 { firstThread = Thread.current }
            }
        }

        /// The context pointer a C callback turns back into this object.
        var context: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
        static func from(_ context: UnsafeMutableRawPointer?) -> Visits { Unmanaged<Visits>.fromOpaque(context!).takeUnretainedValue() }
    }

    /// `fw_team_run` retried until the team is free: tests elsewhere, run alongside, use it too.
    /// A refused call runs nothing, so retrying repeats nothing.
    private func runWhenFree(_ workers: Int32, _ body: fw_team_body, _ context: UnsafeMutableRawPointer?) -> Int32 {
        for _ in 0..<10_000 {
            if fw_team_run(workers, body, context) == 1 { return 1 }
            Thread.sleep(forTimeInterval: 0.001)
        }
        return 0
    }

    @Test func everyWorkerRunsOnceARegionAndWorkerZeroOnTheCaller() {
        for workers in [2, 3, 2, 5] {
            let visits = Visits()
            let ran = runWhenFree(Int32(workers), { context, worker in Visits.from(context).record(Int(worker)) }, visits.context)
            #expect(ran == 1, "\(workers) workers: the team never came free")
            #expect(visits.counts == (0..<8).map { $0 < workers ? 1 : 0 }, "\(workers) workers")
            #expect(visits.firstThread === Thread.current)
        }
    }

    @Test func aNestedRegionFindsTheTeamBusy() {
        let visits = Visits()
        let ran = runWhenFree(2, { context, worker in
            guard worker == 0 else { return }
            let nested = fw_team_run(2, { _, _ in }, nil)
            let visits = Visits.from(context)
            visits.lock.withLock { visits.nested = nested }
        }, visits.context)
        #expect(ran == 1)
        #expect(visits.nested == 0, "the nested call must not run on the busy team")
    }

    /// Regions nested in regions, from four threads at once, all complete with each chunk run
    /// exactly once, whichever of them got the team.
    @Test func forEachChunkCoversEveryIndexOnceFromNestedAndConcurrentCallers() async {
        let side = 100, rounds = 50
        await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask {
                    Parallelism.withWorkers(2) {
                        let hits = UnsafeMutablePointer<Int>.allocate(capacity: side * side)
                        defer { hits.deallocate() }
                        hits.initialize(repeating: 0, count: side * side)
                        for _ in 0..<rounds {
                            forEachChunk(of: side) { rows, _ in
                                for i in rows { forEachChunk(of: side) { columns, _ in for j in columns { hits[i * side + j] += 1 } } }
                            }
                        }
                        return Array(UnsafeBufferPointer(start: hits, count: side * side))
                    }
                }
            }
            for await hits in group { #expect(hits.allSatisfy { $0 == rounds }) }
        }
    }
}
