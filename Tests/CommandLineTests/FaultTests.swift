import Foundation
import TestSupport
import Testing

/// Faults lose nothing and say what happened: every write of a run failed in turn as a full disk
/// (and the other write errors) would fail it, interrupts, two runs on one folder, a reader holding
/// the merged file open while a run rewrites it, and SIGKILL during a merge.
@Suite(.serialized) struct FaultTests {
    /// Five trials of two seconds or less, and one more seed on demand.
    static let experiment = """
        name: faults
        seeds: [1]
        dataset:
          scenario: steel-defects
          image_size: 16
          per_class: {train: 8, val: 4, test: 4}
        baseline:
          train: {epochs: 1, batch: 16}
        arms:
          model-centric:
            variants: [cnn-wide, {train.lr: 0.05}, {train.flips: true}, {train.label_smoothing: 0.1}]

        """

    private let folder: String
    private let flywheel = builtExecutable("flywheel")

    init() throws {
        folder = NSTemporaryDirectory() + "flywheel-faults-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try Self.experiment.write(toFile: folder + "/faults.yaml", atomically: true, encoding: .utf8)
    }

    private func run(_ results: String, environment: [String: String] = [:], extra: [String] = []) throws -> (status: Int32, output: String) {
        try runProcess(flywheel, ["run", "faults.yaml", "--results", results, "--notebooks", results + "-nb", "--jobs", "1", "--threads", "1"] + extra,
                       in: folder, environment: environment)
    }

    /// Test accuracy by trial id, from trials.csv.
    private func accuracies(_ results: String) throws -> [String: String] {
        let rows = try String(contentsOfFile: folder + "/" + results + "/faults/trials.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
        let id = rows[0].firstIndex(of: "trial_id")!, accuracy = rows[0].firstIndex(of: "accuracy")!
        return Dictionary(uniqueKeysWithValues: rows.dropFirst().map { (String($0[id]), String($0[accuracy])) })
    }

    /// Every file in the trials folder: complete trial files and claims only, no temporary left.
    private func trialFolder(_ results: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder + "/" + results + "/faults/trials").sorted()
    }

    @Test func everyWriteOfARunFailingInTurnLeavesOnlyCompleteFilesAndARerunFinishes() throws {
        let clean = try run("undisturbed")
        #expect(clean.status == 0, "\(clean.output)")
        let expected = try accuracies("undisturbed")
        // Five trial files and the merged file: six writes of file bytes. Fail each in turn, then one past the last.
        for k in 1...7 {
            let results = "fail-\(k)"
            let failed = try run(results, environment: ["FLYWHEEL_FAIL_WRITE": "\(k)"])
            if k <= 6 {
                #expect(failed.status == 1, "write \(k): exit \(failed.status): \(failed.output)")
                #expect(failed.output.contains("No space left on device"), "write \(k): \(failed.output)")
                #expect(failed.output.contains(k <= 5 ? ".h5" : "faults.h5"), "the message names the file: \(failed.output)")
                #expect(!failed.output.contains("Signal") && !failed.output.contains("crashed"), "\(failed.output)")
            } else {
                #expect(failed.status == 0, "\(failed.output)")
            }
            let files = try trialFolder(results)
            #expect(files.allSatisfy { $0.hasSuffix(".h5") && !$0.hasPrefix(".") }, "write \(k) left \(files)")
            #expect(files.count == min(k - 1, 5), "write \(k): \(files)")
            let scan = try runProcess(flywheel, ["show", results + "/faults"], in: folder)
            #expect(files.isEmpty || (scan.status == 0 && !scan.output.contains("warning")), "\(scan.output)")
            let rerun = try run(results)
            #expect(rerun.status == 0, "rerun after write \(k): \(rerun.output)")
            #expect(try accuracies(results) == expected, "the rerun finishes with the undisturbed results")
        }
    }

    @Test func eachKindOfWriteFailureIsNamedAndEndsTheRunWithOne() throws {
        for (code, words) in [(28, "No space left on device"), (122, "quota exceeded"), (30, "Read-only file system"), (13, "Permission denied"),
                              (5, "Input/output error")] {
            let failed = try run("errno-\(code)", environment: ["FLYWHEEL_FAIL_WRITE": "1:\(code)"])
            #expect(failed.status == 1, "errno \(code): \(failed.output)")
            #expect(failed.output.lowercased().contains(words.lowercased()), "errno \(code): \(failed.output)")
            #expect(failed.output.contains("run the same command again"), "\(failed.output)")
        }
    }

    @Test func interruptsExitWithTheSignalAndSayWhatIsLeft() throws {
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let process = try ShellLikeProcess(flywheel, ["run", "faults.yaml", "seeds=[1, 2, 3]", "baseline.train.epochs=12", "--results", "signal-\(signal)",
                                                          "--notebooks", "nb", "--jobs", "1", "--threads", "1"], in: folder)
            process.read { $0.contains("[1/") }   // once a trial has finished, so a report has something to show
            process.send(signal)
            let (exit, output) = process.finish()
            #expect(exit == status, "signal \(signal): \(output)")
            #expect(output.contains(signal == SIGINT ? "interrupted" : "terminated"), "\(output)")
            #expect(output.contains("run the same command again") || output.contains("again to finish"), "\(output)")
            #expect(!output.contains("| arm |") || output.contains("| baseline |"), "never an empty report table: \(output)")
            let left = try trialFolder("signal-\(signal)")
            #expect(left.allSatisfy { $0.hasSuffix(".h5") || $0.hasSuffix(".claim") || $0.contains(".h5.tmp-") }, "\(left)")
            let rerun = try runProcess(flywheel, ["run", "faults.yaml", "seeds=[1, 2, 3]", "baseline.train.epochs=12", "--results", "signal-\(signal)",
                                                  "--notebooks", "nb"], in: folder)
            #expect(rerun.status == 0, "\(rerun.output)")
        }
    }

    /// A claim of two conditions, each run as its own experiment: the first quick, the second slow
    /// enough to be interrupted while it runs.
    static let twoExperimentSuite = """
        name: claim-two
        claim:
          statement: "Model work pays."
          effect: {a: model-centric, b: baseline}
          expect: positive
        conditions:
          - {name: quick, x: 1, set: {baseline.train.epochs: 1}}
          - {name: slow, x: 2, set: {baseline.train.epochs: 12}}
        seeds: [1, 2, 3]
        dataset:
          scenario: steel-defects
          image_size: 16
          per_class: {train: 8, val: 4, test: 4}
        baseline:
          train: {epochs: 1, batch: 16}
        arms:
          model-centric:
            variants: [cnn-wide, {train.lr: 0.05}]

        """

    /// A suite (`flywheel claims`) answers a signal in its second experiment as a single run does.
    @Test func aSuiteStopsOnASignalInItsSecondExperiment() throws {
        try FileManager.default.createDirectory(atPath: folder + "/experiments/claims", withIntermediateDirectories: true)
        try Self.twoExperimentSuite.write(toFile: folder + "/experiments/claims/1-two.yaml", atomically: true, encoding: .utf8)
        for (signal, status) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            let process = try ShellLikeProcess(flywheel, ["claims", "--experiments", "experiments", "--results", "suite-\(signal)", "--notebooks", "nb",
                                                          "--jobs", "1"], in: folder)
            let before = process.read(until: Self.secondExperimentHasFinishedATrial)
            #expect(Self.secondExperimentHasFinishedATrial(before), "the suite ended before its second experiment ran a trial: \(before)")
            process.send(signal)
            let (exit, output) = process.finish()
            #expect(exit == status, "signal \(signal): \(output)")
            #expect(output.contains(signal == SIGINT ? "interrupted" : "terminated"), "\(output)")
            #expect(!output.contains("claims.md"), "a verdict table written after a signal: \(output)")
        }
    }

    /// Two claims run side by side (`SuiteRunner.sideBySide`) both stop on one Ctrl-C, and the
    /// same command then finishes them.
    @Test func aSuiteSideBySideStopsBothExperimentsOnASignal() throws {
        let claims = folder + "/experiments-two/claims"
        try FileManager.default.createDirectory(atPath: claims, withIntermediateDirectories: true)
        for name in ["one", "two"] {
            try Self.twoExperimentSuite.replacingOccurrences(of: "name: claim-two", with: "name: claim-\(name)")
                .write(toFile: claims + "/\(name == "one" ? 1 : 2)-\(name).yaml", atomically: true, encoding: .utf8)
        }
        let arguments = ["claims", "--experiments", "experiments-two", "--results", "side-by-side", "--notebooks", "nb"]
        let process = try ShellLikeProcess(flywheel, arguments, in: folder)
        let before = process.read { $0.contains("] claim-one: ") && $0.contains("] claim-two: ") }
        #expect(before.contains("] claim-one: ") && before.contains("] claim-two: "), "the two claims never ran side by side: \(before)")
        #expect(before.contains(" with the experiments beside it)"), "the plan's line says the cores are shared: \(before)")
        process.send(SIGINT)
        let (exit, output) = process.finish()
        #expect(exit == 130, "\(output)")
        #expect(output.contains("interrupted"), "\(output)")
        #expect(!output.contains("claims.md"), "a verdict table written after a signal: \(output)")
        let rerun = try runProcess(flywheel, arguments, in: folder)
        #expect(rerun.status == 0, "\(rerun.output)")
        #expect(rerun.output.contains("claims.md"), "\(rerun.output)")
    }

    /// Whether the log shows the second experiment's plan and a trial finished after it.
    private static func secondExperimentHasFinishedATrial(_ output: String) -> Bool {
        let plans = output.components(separatedBy: " to run (")
        return plans.count > 2 && plans[2].contains("[1/")
    }

    @Test func twoRunsOnOneFolderSplitThePlan() throws {
        let runs = (0..<2).map { _ in Process() }
        let pipes = runs.map { _ in Pipe() }
        for (process, pipe) in zip(runs, pipes) {
            process.executableURL = URL(fileURLWithPath: flywheel)
            process.arguments = ["run", "faults.yaml", "seeds=[1, 2]", "--results", "shared", "--notebooks", "nb", "--jobs", "1", "--threads", "1"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
        }
        let outputs = pipes.map { String(decoding: $0.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self) }
        runs.forEach { $0.waitUntilExit() }
        // Every trial trained once, by one run or the other; the later run reports all ten.
        let trained = outputs.flatMap { $0.split(separator: "\n").filter { $0.hasPrefix("[") && $0.contains(" seed ") && !$0.contains("could not") } }
        #expect(trained.count == 10, "\(outputs.joined(separator: "\n---\n"))")
        #expect(Set(trained.map { $0.split(separator: ":")[0].split(separator: " ").dropFirst().joined(separator: " ") }).count == 10)
        let final = try run("shared", extra: ["seeds=[1, 2]"])
        #expect(final.status == 0 && final.output.contains("10 already done, 0 to run"), "\(final.output)")
        #expect(try trialFolder("shared").filter { $0.hasSuffix(".claim") }.isEmpty)
    }

    @Test func aReaderKeepsTheMergedFileWhileARunRewritesItAndAKilledMergeLeavesOneWhole() throws {
        #expect(try run("merged").status == 0)
        let python = try pythonEnvironment([("h5py", "h5py")])
        let script = """
            import h5py, subprocess, sys
            f = h5py.File(sys.argv[1] + "/merged/faults.h5", "r")
            count = f.attrs["trial_count"]
            done = subprocess.run([sys.argv[2], "report", sys.argv[1] + "/merged/faults", "--notebooks", sys.argv[1] + "/nb"],
                                  capture_output=True, cwd=sys.argv[1])
            assert done.returncode == 0, done.stdout + done.stderr
            assert f.attrs["trial_count"] == count and len(f["summary"]["trial_id"][()]) == count
            f.close()
            with h5py.File(sys.argv[1] + "/merged/faults.h5", "r") as g:
                print("reopened", g.attrs["trial_count"])
            """
        let read = try runProcess(python, ["-c", script, folder, flywheel])
        #expect(read.status == 0 && read.output.contains("reopened 5"), "\(read.output)")
        // SIGKILL a merge at random moments: the merged file is always the old one or the new one, whole.
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<6 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: flywheel)
            process.arguments = ["merge", "merged/faults", "--notebooks", "nb"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            Thread.sleep(forTimeInterval: Double.random(in: 0...0.4, using: &generator))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let check = try runProcess(python, ["-c", "import h5py, sys; print(h5py.File(sys.argv[1], 'r').attrs['trial_count'])",
                                                folder + "/merged/faults.h5"])
            #expect(check.status == 0 && check.output.contains("5"), "\(check.output)")
        }
    }
}
