import Foundation
import TestSupport
import Testing

/// `flywheel run` end to end: interrupted with SIGINT, resumed, and reported from the trial files.
@Suite struct RunCommandTests {
    static let experiment = """
        name: tiny
        seeds: [1, 2]
        dataset:
          scenario: solar-cells
          image_size: 16
          per_class: {train: 10, val: 5, test: 10}
          noise: {model: uniform, rate: 0.2}
        baseline:
          train: {epochs: 6, batch: 16}
        arms:
          model-centric:
            variants: [cnn-wide, {train.lr: 0.05}]

        """

    @Test func calibrationRunsTheBaselineAloneOnItsOwnSeedsAndRecordsTheFileHash() throws {
        let folder = NSTemporaryDirectory() + "flywheel-calibrate-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.yaml"
        try (Self.experiment + "calibration: {seeds: [7, 8]}\n").write(toFile: file, atomically: true, encoding: .utf8)
        let run = try runProcess(builtExecutable("flywheel"), ["calibrate", file, "baseline.train.epochs=2", "--results", folder + "/results",
                                                               "--notebooks", folder + "/nb", "--quiet"])
        #expect(run.status == 0, "\(run.output)")
        let runs = try FileManager.default.contentsOfDirectory(atPath: folder + "/results").filter { !$0.hasSuffix(".h5") }
        #expect(runs.count == 1 && runs[0].hasPrefix("tiny-calibration-"), "\(runs)")
        let trials = try String(contentsOfFile: folder + "/results/\(runs[0])/trials.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(trials.map { $0.split(separator: ",")[2] } == ["baseline", "baseline"], "only the baseline runs")
        #expect(Set(trials.map { $0.split(separator: ",")[4] }) == ["7", "8"], "only the calibration seeds")
        let report = try String(contentsOfFile: folder + "/results/\(runs[0])/report.md", encoding: .utf8)
        #expect(report.contains("## Test accuracy per seed") && report.contains("| 7 |") && report.contains("| 8 |"), "\(report)")
        let digest = try runProcess("/usr/bin/sha256sum", [file]).output.prefix(64)
        #expect(report.contains("Experiment file sha256: \(digest) with baseline.train.epochs=2"), "\(report)")
    }

    @Test func interruptedRunsResumeToExactlyThePlannedTrials() throws {
        let folder = NSTemporaryDirectory() + "flywheel-run-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.yaml"
        try Self.experiment.write(toFile: file, atomically: true, encoding: .utf8)
        let trials = folder + "/results/tiny/trials"

        // Interrupt after the first finished trial.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: builtExecutable("flywheel"))
        process.arguments = ["run", file, "--results", folder + "/results", "--notebooks", folder + "/nb"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var output = ""
        while !output.contains("[1/6]") {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
        }
        kill(process.processIdentifier, SIGINT)
        output += String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.contains("interrupted"), "\(output)")
        let afterInterrupt = try FileManager.default.contentsOfDirectory(atPath: trials).filter { $0.hasSuffix(".h5") }
        #expect(!afterInterrupt.isEmpty && afterInterrupt.count < 6, "\(afterInterrupt)")
        #expect(output.contains("left; run `flywheel run") && process.terminationStatus == 130, "exit \(process.terminationStatus): \(output)")

        // Resume: only the missing trials run; the final set is exactly the plan.
        let resumed = try runProcess(builtExecutable("flywheel"), ["run", file, "--results", folder + "/results", "--notebooks", folder + "/nb"])
        #expect(resumed.status == 0, "\(resumed.output)")
        #expect(resumed.output.contains("6 trials, \(afterInterrupt.count) already done, \(6 - afterInterrupt.count) to run"))
        let final = try FileManager.default.contentsOfDirectory(atPath: trials).sorted()
        #expect(final.count == 6 && final.allSatisfy { $0.hasSuffix(".h5") && !$0.hasPrefix(".") })
        #expect(Set(afterInterrupt).isSubset(of: final))

        // The report's numbers are the trial files' numbers.
        let csv = try String(contentsOfFile: folder + "/results/tiny/trials.csv", encoding: .utf8).split(separator: "\n").dropFirst()
        let baseline = csv.map { $0.split(separator: ",", omittingEmptySubsequences: false) }.filter { $0[2] == "baseline" }.map { Double($0[6])! }
        let arms = try String(contentsOfFile: folder + "/results/tiny/arms.csv", encoding: .utf8).split(separator: "\n")
        let baselineRow = try #require(arms.first { $0.hasPrefix("baseline,") }).split(separator: ",")
        #expect(abs(Double(baselineRow[2])! - baseline.reduce(0, +) / Double(baseline.count)) < 1e-12)
        #expect(FileManager.default.fileExists(atPath: folder + "/results/tiny.h5"))
        let shown = try runProcess(builtExecutable("flywheel"), ["show", folder + "/results/tiny"])
        #expect(shown.output.contains("| baseline |"))
    }

    /// A variant that only asks for the validation curve trains the baseline's model to the bit (the same
    /// test and validation accuracy on every seed, under another trial id) and records the curve the
    /// baseline leaves NaN (read back with h5dump).
    @Test func theValidationCurveIsRecordedWhereAskedAndChangesNoResult() throws {
        let folder = NSTemporaryDirectory() + "flywheel-curve-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.yaml"
        try Self.experiment.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try runProcess(builtExecutable("flywheel"), ["run", file, "arms.model-centric.variants=[{train.validation_curve: true}]",
                                                               "--results", folder + "/results", "--notebooks", folder + "/nb", "--quiet"])
        #expect(run.status == 0, "\(run.output)")
        let lines = try String(contentsOfFile: folder + "/results/tiny/trials.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        let header = lines[0], rows = lines.dropFirst()
        func column(_ name: String, _ row: [String]) -> String { row[header.firstIndex(of: name)!] }
        #expect(rows.count == 4)
        for seed in ["1", "2"] {
            let pair = rows.filter { column("seed", $0) == seed }
            let (baseline, curved) = (pair.first { column("arm", $0) == "baseline" }!, pair.first { column("arm", $0) == "model-centric" }!)
            #expect(column("trial_id", baseline) != column("trial_id", curved))
            #expect(column("accuracy", baseline) == column("accuracy", curved) && column("validation_accuracy", baseline) == column("validation_accuracy", curved))
            for (row, asked) in [(baseline, false), (curved, true)] {
                let dump = try runProcess("/usr/bin/h5dump", ["-d", "/curves/validation_accuracy",
                                                              folder + "/results/tiny/trials/\(column("trial_id", row)).h5"]).output
                #expect(dump.contains("DATA") && dump.lowercased().contains("nan") != asked, "\(dump)")
            }
        }
    }

    /// `analysis.metric: balanced-accuracy` through the command line: every trial records validation's
    /// balanced accuracy, the report is in it, and the same trials read under accuracy need no retraining.
    @Test func theMetricIsPartOfThePlanNotOfTheTrials() throws {
        let folder = NSTemporaryDirectory() + "flywheel-metric-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.yaml"
        try Self.experiment.write(toFile: file, atomically: true, encoding: .utf8)
        let arguments = ["--results", folder + "/results", "--notebooks", folder + "/nb"]
        let balanced = try runProcess(builtExecutable("flywheel"), ["run", file, "analysis.metric=balanced-accuracy"] + arguments)
        #expect(balanced.status == 0 && balanced.output.contains("balanced accuracy: test "), "\(balanced.output)")
        let report = try String(contentsOfFile: folder + "/results/tiny/report.md", encoding: .utf8)
        #expect(report.contains("| arm | test balanced accuracy | 95% CI |") && report.contains("Every figure is balanced accuracy"), "\(report)")
        let trial = try #require(try FileManager.default.contentsOfDirectory(atPath: folder + "/results/tiny/trials").first { $0.hasSuffix(".h5") })
        let dump = try runProcess("/usr/bin/h5dump", ["-d", "/metrics/validation_balanced_accuracy", folder + "/results/tiny/trials/" + trial]).output
        #expect(dump.contains("DATA") && dump.contains("(0):"), "\(dump)")
        let accuracy = try runProcess(builtExecutable("flywheel"), ["run", file] + arguments)
        #expect(accuracy.status == 0 && accuracy.output.contains("6 already done, 0 to run"), "\(accuracy.output)")
        #expect(try String(contentsOfFile: folder + "/results/tiny/report.md", encoding: .utf8).contains("| arm | test accuracy | 95% CI |"))
    }

    @Test func aBadOverrideExitsWithTwoAndNamesTheKey() throws {
        let folder = NSTemporaryDirectory() + "flywheel-run-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let file = folder + "/tiny.yaml"
        try Self.experiment.write(toFile: file, atomically: true, encoding: .utf8)
        let result = try runProcess(builtExecutable("flywheel"), ["run", file, "dataset.per_class.train=-5", "--results", folder, "--notebooks", folder])
        #expect(result.status == 2)
        #expect(result.output.contains("dataset.per_class.train: expected a positive integer, got -5 (override dataset.per_class.train line 1)"))
    }
}
