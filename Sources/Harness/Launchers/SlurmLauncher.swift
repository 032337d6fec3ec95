import Foundation

/// Hands an experiment's trials to Slurm: a job array with one task per trial of the plan (each
/// task runs `flywheel run-trial … --index $SLURM_ARRAY_TASK_ID` and writes one atomic result
/// file), and a merge job that runs after the array (`afterany`) and writes the reports. Finished
/// trials are skipped, so resubmitting the array reruns only what is missing.
public struct SlurmLauncher: Sendable {
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
    public let name: String
    public let trialCount: Int
    public let resources: Resources
    public let workingDirectory: String

    public init(executable: String, experiment: String, overrides: [String], resultsRoot: String, name: String, trialCount: Int,
                resources: Resources, workingDirectory: String) {
        self.executable = executable; self.experiment = experiment; self.overrides = overrides; self.resultsRoot = resultsRoot
        self.name = name; self.trialCount = trialCount; self.resources = resources
        self.workingDirectory = workingDirectory
    }

    /// `results/NAME/slurm`: scripts and logs.
    public var folder: String { "\(resultsRoot)/\(name)/slurm" }
    public var arrayScript: String { folder + "/array.sbatch" }
    public var mergeScript: String { folder + "/merge.sbatch" }

    /// The job array script: one task per trial index.
    public var arrayScriptText: String {
        let throttle = resources.maxParallel.map { "%\($0)" } ?? ""
        let command = ([executable, "run-trial", experiment] + overrides + ["--index", "$SLURM_ARRAY_TASK_ID", "--results", resultsRoot,
                                                                             "--threads", "$SLURM_CPUS_PER_TASK"]).map(quoted).joined(separator: " ")
        return header(job: "flywheel-\(name)", log: "\(folder)/logs/trial-%a.out", extra: ["#SBATCH --array=0-\(trialCount - 1)\(throttle)"])
            + "exec \(command)\n"
    }

    /// The merge script, submitted with a dependency on the array.
    public var mergeScriptText: String {
        header(job: "flywheel-\(name)-merge", log: "\(folder)/logs/merge.out", extra: [])
            + "exec \(([executable, "merge", "\(resultsRoot)/\(name)"]).map(quoted).joined(separator: " "))\n"
    }

    /// Writes both scripts (and the logs folder).
    public func writeScripts() throws {
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
        var lines = ["#!/bin/bash", "#SBATCH --job-name=\(job)", "#SBATCH --output=\(log)", "#SBATCH --time=\(resources.time)",
                     "#SBATCH --cpus-per-task=\(resources.cpusPerTask)", "#SBATCH --mem=\(resources.memory)"]
        if let partition = resources.partition { lines.append("#SBATCH --partition=\(partition)") }
        lines += extra
        lines += ["# Written by flywheel run --launcher slurm; the same trial ids as a local run.", "set -euo pipefail",
                  "cd \(quoted(workingDirectory))", "export OPENBLAS_NUM_THREADS=1"]
        return lines.joined(separator: "\n") + "\n"
    }

    private func quoted(_ word: String) -> String {
        if word.hasPrefix("$") { return "\"\(word)\"" }
        guard word.contains(where: { " '\"$\\[]{}*?;&|<>()".contains($0) }) else { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A launcher that could not hand work to the scheduler; the message carries the scheduler's.
public struct LauncherError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
