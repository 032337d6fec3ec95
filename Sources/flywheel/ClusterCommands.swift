import ArgumentParser
import Foundation
import Harness
import Store

/// `flywheel run-trial EXPERIMENT.yaml --index I`: one trial of the plan (a Slurm array task).
struct RunTrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-trial",
        abstract: "Run exactly one trial of an experiment's plan (what each Slurm array task does).",
        discussion: """
            The plan is expanded as by `flywheel run`, so trial ids are the same as in a local run. The result goes \
            atomically into RESULTS/NAME/trials/; a trial that already has a verified result is skipped, so \
            resubmitting an array reruns only what is missing.

            Example:
              flywheel run-trial experiments/quick.yaml --index 3
            """)

    @Argument(help: "Experiment file (YAML).")
    var experiment: String

    @Argument(help: "Overrides, key.path=value (values in YAML).")
    var overrides: [String] = []

    @Option(help: "Index of the trial in the plan (0-based; $SLURM_ARRAY_TASK_ID in an array).")
    var index: Int

    @Option(help: "Results folder.")
    var results = "results"

    @Option(help: "Engine threads.")
    var threads = 1

    func run() throws {
        let config = try ExperimentConfig.load(experiment, overrides: overrides)
        let runner = ExperimentRunner(config: config, resultsFolder: results + "/" + config.name, threadsPerJob: max(1, threads))
        let (record, ranNow) = try runner.runTrial(at: index)
        let outcome = record.metrics.map { String(format: "test %.3f, val %.3f", $0.accuracy, $0.validationAccuracy ?? .nan) } ?? record.error
        print("\(ranNow ? "ran" : "skipped (already done)") trial \(index) \(record.trialID): \(record.status.rawValue), \(outcome)")
        if record.status == .failed { throw ExitCode(1) }
    }
}

/// `flywheel merge RESULTS/NAME`: reports from whatever finished, and what is still missing.
struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Merge finished trials into RESULTS/NAME.h5 and the reports; list missing or failed trials.",
        discussion: """
            Reads RESULTS/NAME/trials/ and, when present, RESULTS/NAME/plan.tsv (written by --launcher slurm) to name \
            every planned trial that is missing or failed with the command that reruns it. Exit code 1 when any is.

            Example:
              flywheel merge results/quick
            """)

    @Argument(help: "An experiment's results folder (holding trials/).")
    var folder: String

    @Option(help: "Where the notebook goes.")
    var notebooks = "notebooks-export"

    func run() throws {
        let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        let scan = try TrialDirectory(path: trimmed + "/trials").scan()
        for problem in scan.problems { print("warning: \(problem)") }
        try scan.requireAReadableFileWhenAnyExists(in: trimmed + "/trials")
        if !scan.records.isEmpty {
            try writeReports(scan.records, formats: ReportFormat.allCases, folder: trimmed, merged: trimmed + ".h5", notebookFolder: notebooks,
                             command: "flywheel merge \(trimmed)")
        }
        let unfinished = try unfinishedTrials(in: trimmed, records: scan.records)
        guard !unfinished.isEmpty || scan.records.isEmpty else { return }
        if scan.records.isEmpty { print("no finished trials in \(trimmed)/trials") }
        for line in unfinished { print(line) }
        throw ExitCode(1)
    }

    /// "missing|failed: index id (arm variant seed) — rerun: command" per planned trial without a completed result.
    private func unfinishedTrials(in folder: String, records: [TrialRecord]) throws -> [String] {
        guard let text = try? String(contentsOfFile: folder + "/plan.tsv", encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n").map(String.init)
        let rerun = lines.first { $0.hasPrefix("# rerun: ") }.map { String($0.dropFirst("# rerun: ".count)) } ?? "flywheel run-trial EXPERIMENT"
        let status = Dictionary(records.map { ($0.trialID, $0.status) }, uniquingKeysWith: { a, _ in a })
        return lines.filter { !$0.hasPrefix("#") && !$0.hasPrefix("index") }.compactMap { line in
            let f = line.split(separator: "\t").map(String.init)
            guard f.count == 5 else { return nil }
            let state = status[f[1]]
            guard state == nil || state == .failed else { return nil }
            return "\(state == nil ? "missing" : "failed"): trial \(f[0]) \(f[1]) (\(f[2]) \(f[3]) seed \(f[4])) — rerun: \(rerun) --index \(f[0])"
        }
    }
}

/// Options of `flywheel run --launcher slurm`.
struct SlurmOptions: ParsableArguments {
    @Option(help: "Where trials run: local (this machine) or slurm (a job array).")
    var launcher = "local"

    @Option(help: "Slurm partition.")
    var partition: String?

    @Option(help: "Slurm time limit per trial.")
    var time = "00:30:00"

    @Option(help: "CPUs per Slurm task (engine threads per trial).")
    var cpusPerTask = 1

    @Option(help: "Memory per Slurm task.")
    var mem = "4G"

    @Option(help: "At most this many array tasks at once.")
    var maxParallel: Int?

    @Flag(help: "Submit with sbatch (otherwise only write the scripts and print the commands).")
    var submit = false

    func validate() throws {
        guard ["local", "slurm"].contains(launcher) else { throw ValidationError("--launcher: expected local or slurm, got '\(launcher)'.") }
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1, got \(cpusPerTask).") }
        if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be at least 1, got \(maxParallel).") }
    }

    var resources: SlurmLauncher.Resources {
        var r = SlurmLauncher.Resources()
        r.partition = partition; r.time = time; r.cpusPerTask = cpusPerTask; r.memory = mem; r.maxParallel = maxParallel
        return r
    }

    /// Writes the array and merge scripts for `config` (and the plan), then submits or prints the commands.
    func launch(_ config: ExperimentConfig, experiment: String, overrides: [String], results: String) throws {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = { (path: String) in path.hasPrefix("/") ? path : cwd + "/" + path }
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().path
        let launcher = SlurmLauncher(executable: executable, experiment: absolute(experiment), overrides: overrides, resultsRoot: absolute(results),
                                     name: config.name, trialCount: config.plan.count, resources: resources,
                                     workingDirectory: cwd)
        try launcher.writeScripts()
        let rerun = ([executable, "run-trial", absolute(experiment)] + overrides + ["--results", absolute(results)]).joined(separator: " ")
        try ExperimentRunner(config: config, resultsFolder: absolute(results) + "/" + config.name).writePlan(rerun: rerun)
        print("\(config.name): \(config.plan.count) trials as a Slurm job array; scripts in \(launcher.folder)")
        guard submit else {
            print("submit with:")
            for command in launcher.submitCommands { print("  " + command) }
            return
        }
        let (array, merge) = try launcher.submit()
        print("submitted array job \(array) and merge job \(merge) (after the array); results in \(absolute(results))/\(config.name)")
    }
}
