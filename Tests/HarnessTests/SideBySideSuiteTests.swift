import Foundation
import Store
import Testing
@testable import Harness

/// A suite run side by side keeps what a suite run in turn promises: experiments of one name (one
/// trials folder) never overlap and keep their order, reports come in the suite's order, and the
/// first experiment that does not complete halts the suite; `CoreBudget` holds the trials of all
/// the runs to the threads of one.
@Suite struct SideBySideSuiteTests {
    /// Records when each launch ran; a launch named in `incomplete` leaves a trial missing.
    final class RecordingLauncher: Launcher, @unchecked Sendable {
        let lock = NSLock()
        var spans: [(name: String, index: Int, start: Date, end: Date)] = []
        let seconds: [String: Double]
        let incomplete: Set<String>

        init(seconds: [String: Double], incomplete: Set<String> = []) { self.seconds = seconds; self.incomplete = incomplete }

        func launch(_ config: ExperimentConfig, observer: LaunchObserver) throws -> Launch {
            let start = Date()
            Thread.sleep(forTimeInterval: seconds[config.name] ?? 0.05)
            lock.withLock { spans.append((config.name, spans.count, start, Date())) }
            return .ran(records: [], missing: incomplete.contains(config.name) ? ["t"] : [], interruptedBy: nil)
        }

        func overlap(_ a: String, _ b: String) -> Bool {
            lock.withLock {
                spans.contains { x in x.name == a && spans.contains { y in y.name == b && y.index != x.index && x.start < y.end && y.start < x.end } }
            }
        }
    }

    /// Experiment configs named `names`, in that order (the same file loaded once per name).
    static func configs(_ names: [String]) throws -> [ExperimentConfig] {
        let folder = NSTemporaryDirectory() + "flywheel-side-by-side-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try names.map { name in
            let file = folder + "/\(name).yaml"
            if !FileManager.default.fileExists(atPath: file) {
                try """
                    name: \(name)
                    seeds: [1]
                    dataset: {scenario: solar-cells, image_size: 16, per_class: {train: 4, val: 2, test: 2}}
                    baseline: {train: {epochs: 1}}

                    """.write(toFile: file, atomically: true, encoding: .utf8)
            }
            return try ExperimentConfig.load(file)
        }
    }

    @Test func experimentsOfOneNameRunInTurnAndOthersBesideThem() throws {
        let launcher = RecordingLauncher(seconds: ["a": 0.3, "b": 0.2, "c": 0.05])
        var suite = SuiteRunner(launcher: launcher, observer: LaunchObserver(log: { _ in }))
        suite.sideBySide = 2
        var reported: [String] = []
        let items = try Self.configs(["a", "a", "b", "c"])
        let finished = try suite.run(items, config: { $0 }) { config, _ in reported.append(config.name) }
        #expect(reported == ["a", "a", "b", "c"], "reports come in the suite's order")
        #expect(finished.map(\.item.name) == ["a", "a", "b", "c"])
        #expect(!launcher.overlap("a", "a"), "two launches on one trials folder overlapped")
        #expect(launcher.overlap("a", "b"), "b waited for the a's although they share no folder")
        let starts = launcher.spans.filter { $0.name == "a" }.map(\.start)
        #expect(starts.count == 2)
        let concurrent = launcher.spans.map { x in launcher.spans.filter { $0.start <= x.start && x.start < $0.end }.count }.max() ?? 0
        #expect(concurrent <= 2, "more than two launches at once")
    }

    @Test func theFirstIncompleteExperimentHaltsTheSuite() throws {
        let launcher = RecordingLauncher(seconds: ["a": 0.4, "b": 0.05, "c": 0.05], incomplete: ["b"])
        var suite = SuiteRunner(launcher: launcher, observer: LaunchObserver(log: { _ in }))
        suite.sideBySide = 2
        var reported: [String] = []
        #expect {
            _ = try suite.run(try Self.configs(["a", "b", "c"]), config: { $0 }) { config, _ in reported.append(config.name) }
        } throws: { error in
            guard case SuiteError.unfinished(let experiment, let missing) = error else { return false }
            return experiment == "b" && missing == 1
        }
        #expect(reported == ["a"], "a, before b, is still reported; nothing after b")
        #expect(!launcher.spans.contains { $0.name == "c" }, "c started after b left a trial missing")
    }

    @Test func anExperimentWaitingForItsFolderIsHaltedByTheOneThatFailed() throws {
        // a, a, b: the second a waits for the first, b runs beside it and fails: the suite names b.
        let launcher = RecordingLauncher(seconds: ["a": 0.3, "b": 0.05], incomplete: ["b"])
        var suite = SuiteRunner(launcher: launcher, observer: LaunchObserver(log: { _ in }))
        suite.sideBySide = 2
        #expect {
            _ = try suite.run(try Self.configs(["a", "a", "b"]), config: { $0 }) { _, _ in }
        } throws: { error in
            guard case SuiteError.unfinished(let experiment, _) = error else { return false }
            return experiment == "b"
        }
        #expect(launcher.spans.filter { $0.name == "a" }.count == 1, "the second a started after b had halted the suite")
    }

    @Test func inTurnByDefault() throws {
        let launcher = RecordingLauncher(seconds: ["a": 0.1, "b": 0.1])
        let suite = SuiteRunner(launcher: launcher, observer: LaunchObserver(log: { _ in }))
        _ = try suite.run(try Self.configs(["a", "b"]), config: { $0 }) { _, _ in }
        #expect(!launcher.overlap("a", "b"))
    }

    @Test func theBudgetHoldsTrialsToItsThreads() {
        final class Occupancy: @unchecked Sendable {
            let lock = NSLock()
            var inside = 0, most = 0
            func enter() { lock.withLock { inside += 1; most = max(most, inside) } }
            func leave() { lock.withLock { inside -= 1 } }
        }
        let budget = CoreBudget(capacity: 2), occupancy = Occupancy()
        let threads = DispatchGroup()
        for _ in 0..<4 {   // threads of their own: a shared pool may run its work items one at a time
            threads.enter()
            Thread.detachNewThread {
                for _ in 0..<3 {
                    budget.holding(1) {
                        occupancy.enter()
                        Thread.sleep(forTimeInterval: 0.05)
                        occupancy.leave()
                    }
                }
                threads.leave()
            }
        }
        threads.wait()
        #expect(occupancy.most <= 2)
        #expect(occupancy.most == 2, "two threads of the budget were never used at once")
        budget.holding(5) { #expect(Bool(true), "a job wanting more than the budget takes all of it, and does not wait forever") }
    }
}
