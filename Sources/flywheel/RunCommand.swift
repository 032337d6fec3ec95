import ArgumentParser
import Dispatch
import Foundation
import Harness
import Reports
import Store

/// `flywheel run EXPERIMENT.yaml [key=value ...]`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run an experiment: every arm × variant × seed, resumable, with a report at the end.",
        discussion: """
            Trials go to RESULTS/NAME/trials/ as one HDF5 file each; trials already there are verified and \
            skipped. At the end the merged RESULTS/NAME.h5, report.md, trials.csv and arms.csv are written and \
            the table printed. Ctrl-C starts no further trials; finished trials stay. Exit codes: 0 success, \
            1 a trial failed, 2 bad input.

            Examples:
              flywheel run experiments/quick.yaml
              flywheel run experiments/quick.yaml seeds=[1,2] baseline.train.epochs=5 --jobs 2
            """)

    @Argument(help: "Experiment file (YAML), see docs/experiments.md.")
    var experiment: String

    @Argument(help: "Overrides, key.path=value (values in YAML).")
    var overrides: [String] = []

    @Option(help: "Trials run side by side.")
    var jobs = 1

    @Option(help: "Engine threads per trial (default: cores / jobs).")
    var threads: Int?

    @Option(help: "Results folder.")
    var results = "results"

    @Flag(help: "Move earlier results aside and start over.")
    var fresh = false

    func run() throws {
        let config: ExperimentConfig
        do { config = try ExperimentConfig.load(experiment, overrides: overrides) } catch let error as ConfigError {
            FileHandle.standardError.write("error: \(error)\n".data(using: .utf8)!)
            throw ExitCode(2)
        }
        let runner = ExperimentRunner(config: config, resultsFolder: results + "/" + config.name, jobs: jobs, threadsPerJob: threads)
        if fresh { try runner.moveOldResultsAside() }
        signal(SIGINT, SIG_IGN)
        let interrupt = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        interrupt.setEventHandler {
            print("interrupted: finishing the trials in flight, starting no more")
            runner.stop()
        }
        interrupt.resume()
        let (records, missing) = try runner.run()
        interrupt.cancel()
        let command = (["flywheel", "run", experiment] + overrides).joined(separator: " ")
        try writeReports(records, folder: runner.resultsFolder, merged: results + "/" + config.name + ".h5", command: command)
        if !missing.isEmpty { print("\(missing.count) trial(s) not run yet; run the same command again to finish them") }
        if records.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}

/// `flywheel show RESULTS/NAME`.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the summary table of an experiment's results folder.")

    @Argument(help: "An experiment's results folder (holding trials/).")
    var folder: String

    func run() throws {
        let scan = try TrialDirectory(path: folder + "/trials").scan()
        for problem in scan.problems { print("warning: \(problem)") }
        print(MarkdownReport.render(ExperimentAnalysis(records: scan.records), command: "flywheel show \(folder)",
                                    commits: Set(scan.records.map(\.gitCommit)).sorted()))
    }
}

/// Writes report.md, trials.csv, arms.csv and the merged HDF5, and prints the table.
func writeReports(_ records: [TrialRecord], folder: String, merged: String, command: String) throws {
    let analysis = ExperimentAnalysis(records: records)
    let markdown = MarkdownReport.render(analysis, command: command, commits: Set(records.map(\.gitCommit)).sorted())
    try markdown.write(toFile: folder + "/report.md", atomically: true, encoding: .utf8)
    try CSVReport.trials(records).write(toFile: folder + "/trials.csv", atomically: true, encoding: .utf8)
    try CSVReport.arms(analysis).write(toFile: folder + "/arms.csv", atomically: true, encoding: .utf8)
    try SVGChart.arms(analysis).write(toFile: folder + "/arms.svg", atomically: true, encoding: .utf8)
    try SVGChart.curves(records).write(toFile: folder + "/curves.svg", atomically: true, encoding: .utf8)
    try MergedResults.write(records, to: merged)
    print(markdown)
    print("wrote \(folder)/report.md, trials.csv, arms.csv, arms.svg, curves.svg and \(merged)")
}
