import Foundation
import Store

/// Hands an experiment's trials to Slurm: a job array with one task per trial of the plan (each
/// task runs `flywheel run-trial … --index $SLURM_ARRAY_TASK_ID` and writes one atomic result
/// file), and a merge job that runs after the array (`afterany`) and writes the reports. Finished
/// trials are skipped, so resubmitting the array reruns only what is missing.
public struct SlurmLauncher: Launcher, Sendable {
    /// Slurm resources per array task.
    public struct Resources: Sendable, Equatable {
        public var partition: String?
        public var time = "00:30:00"
        public var cpusPerTask = 1
        public var memory = "4G"
        /// At most this many tasks at once (`%K`), nil for no limit.
        public var maxParallel: Int?
        public init() {}
    }

    /// The flywheel executable the jobs run (absolute).
    public let executable: String
    /// The experiment file (absolute) and its overrides.
    public let experiment: String
    public let overrides: [String]
    public let resultsRoot: String
    public let resources: Resources
    public let workingDirectory: String
    /// Submit through sbatch; otherwise only write the scripts and say how to submit them.
    public let submitting: Bool

    public init(executable: String, experiment: String, overrides: [String], resultsRoot: String, resources: Resources,
                workingDirectory: String, submitting: Bool) {
        self.executable = executable; self.experiment = experiment; self.overrides = overrides; self.resultsRoot = resultsRoot
        self.resources = resources; self.workingDirectory = workingDirectory; self.submitting = submitting
    }

    /// Writes the array and merge scripts and the plan file, then submits them or says how.
    public func launch(_ config: ExperimentConfig, observer: LaunchObserver) throws -> Launch {
        let scan = try? TrialDirectory(path: resultsRoot + "/" + config.name + "/trials").scan()
        let plan = config.plan(given: (scan?.records ?? []) + (scan?.superseded ?? []))
        let scripts = Scripts(launcher: self, name: config.name, trialCount: plan.count)
        try scripts.write()
        let rerun = ([executable, "run-trial", experiment] + overrides + ["--results", resultsRoot]).joined(separator: " ")
        try PlanFile.write(plan, rerun: rerun, in: resultsRoot + "/" + config.name)
        var lines = ["\(config.name): \(plan.count) trials as a Slurm job array; scripts in \(scripts.folder)"]
        if config.modelStack != nil || config.analysisPlan.sequential != nil {
            lines.append("the model stacks or the sequential rule add trials as results come in: once this array has run, submit again "
                         + "(the same command) for the trials its results call for; finished trials are skipped")
        }
        guard submitting else { return .handedOver(lines + ["submit with:"] + scripts.submitCommands.map { "  " + $0 }) }
        let (array, merge) = try scripts.submit()
        lines.append("submitted array job \(array) and merge job \(merge) (after the array); results in \(resultsRoot)/\(config.name)")
        return .handedOver(lines)
    }

    /// The scripts of one experiment: `RESULTS/NAME/slurm/{array,merge}.sbatch` and their logs.
    public struct Scripts: Sendable {
        let launcher: SlurmLauncher
        let name: String
        let trialCount: Int

        public var folder: String { "\(launcher.resultsRoot)/\(name)/slurm" }
        public var arrayScript: String { folder + "/array.sbatch" }
        public var mergeScript: String { folder + "/merge.sbatch" }

        /// The job array script: one task per trial index.
        public var arrayScriptText: String {
            let resources = launcher.resources
            let throttle = resources.maxParallel.map { "%\($0)" } ?? ""
            let command = ([launcher.executable, "run-trial", launcher.experiment] + launcher.overrides
                + ["--index", "$SLURM_ARRAY_TASK_ID", "--results", launcher.resultsRoot, "--threads", "$SLURM_CPUS_PER_TASK"]).map(quoted).joined(separator: " ")
            return header(job: "flywheel-\(name)", log: "\(folder)/logs/trial-%a.out", extra: ["#SBATCH --array=0-\(trialCount - 1)\(throttle)"])
                + "exec \(command)\n"
        }

        /// The merge script, submitted with a dependency on the array.
        public var mergeScriptText: String {
            header(job: "flywheel-\(name)-merge", log: "\(folder)/logs/merge.out", extra: [])
                + "exec \(([launcher.executable, "merge", "\(launcher.resultsRoot)/\(name)"]).map(quoted).joined(separator: " "))\n"
        }

        /// Writes both scripts (and the logs folder).
        public func write() throws {
            try FileManager.default.createDirectory(atPath: folder + "/logs", withIntermediateDirectories: true)
            try arrayScriptText.write(toFile: arrayScript, atomically: true, encoding: .utf8)
            try mergeScriptText.write(toFile: mergeScript, atomically: true, encoding: .utf8)
        }

        /// The commands that submit the array and then the merge job after it.
        public var submitCommands: [String] {
            ["jobid=$(sbatch --parsable \(quoted(arrayScript)))", "sbatch --dependency=afterany:$jobid \(quoted(mergeScript))"]
        }

        /// Submits the array, then the merge job after it, through `sbatch`; returns both job ids.
        /// - Throws: `LauncherError` with sbatch's message when a submission fails.
        public func submit() throws -> (array: String, merge: String) {
            let array = try sbatch(["--parsable", arrayScript])
            let merge = try sbatch(["--parsable", "--dependency=afterany:\(array)", mergeScript])
            return (array, merge)
        }

        private func sbatch(_ arguments: [String]) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["sbatch"] + arguments
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            do { try process.run() } catch { throw LauncherError("could not start sbatch: \(error)") }
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            process.waitUntilExit()
            guard process.terminationStatus == 0, let id = output.split(separator: "\n").last?.split(separator: ";").first else {
                throw LauncherError("sbatch \(arguments.joined(separator: " ")) failed (status \(process.terminationStatus)): \(output)")
            }
            return String(id)
        }

        private func header(job: String, log: String, extra: [String]) -> String {
            let resources = launcher.resources
            var lines = ["#!/bin/bash", "#SBATCH --job-name=\(job)", "#SBATCH --output=\(log)", "#SBATCH --time=\(resources.time)",
                         "#SBATCH --cpus-per-task=\(resources.cpusPerTask)", "#SBATCH --mem=\(resources.memory)"]
            if let partition = resources.partition { lines.append("#SBATCH --partition=\(partition)") }
            lines += extra
            lines += ["# Written by flywheel run --launcher slurm; the same trial ids as a local run.", "set -euo pipefail",
                      "cd \(quoted(launcher.workingDirectory))", "export OPENBLAS_NUM_THREADS=1"]
            return lines.joined(separator: "\n") + "\n"
        }

        private func quoted(_ word: String) -> String {
            if word.hasPrefix("$") { return "\"\(word)\"" }
            guard word.contains(where: { " '\"$\\[]{}*?;&|<>()".contains($0) }) else { return word }
            return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }
    }
}

/// A launcher that could not hand work to the scheduler; the message carries the scheduler's.
public struct LauncherError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
