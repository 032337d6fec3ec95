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
              flywheel run experiments/quick.yaml --launcher slurm --max-parallel 8 --submit
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

    @OptionGroup var output: RunOutputOptions

    @OptionGroup var cluster: SlurmOptions

    func run() throws {
        let config = try ExperimentConfig.load(experiment, overrides: overrides)
        if cluster.launcher == "slurm" { return try cluster.launch(config, experiment: experiment, overrides: overrides, results: results) }
        let (records, missing) = try runExperiment(config, results: results, jobs: jobs, threads: threads, fresh: output.fresh, quiet: output.quiet, verbose: output.verbose)
        let command = (["flywheel", "run", experiment] + overrides).joined(separator: " ")
        try writeReports(records, formats: ReportFormat.allCases, folder: results + "/" + config.name, merged: results + "/" + config.name + ".h5",
                         notebookFolder: output.notebooks, command: command)
        if !missing.isEmpty { print("\(missing.count) trial(s) not run yet; run the same command again to finish them") }
        if records.contains(where: { $0.status == .failed }) { throw ExitCode(1) }
    }
}

/// `flywheel report RESULTS/NAME --format md,csv,svg,ipynb --out DIR`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an experiment's reports from its trial files.",
        discussion: """
            Reads RESULTS/NAME/trials/, writes the merged RESULTS/NAME.h5 and the chosen formats: md (report.md), \
            csv (trials.csv, arms.csv), svg (arms.svg, curves.svg) into --out, and ipynb (NAME.ipynb, which reloads \
            the merged file with h5py and pandas) into --notebooks.

            Example:
              flywheel report results/quick --format md,svg,ipynb
            """)

    @Argument(help: "An experiment's results folder (holding trials/).")
    var folder: String

    @Option(help: "Formats, comma-separated: md, csv, svg, ipynb.")
    var format = "md,csv,svg,ipynb"

    @Option(help: "Where md, csv and svg go (default: the results folder).")
    var out: String?

    @Option(help: "Where the notebook goes.")
    var notebooks = "notebooks-export"

    func run() throws {
        let formats = try format.split(separator: ",").map { name in
            guard let f = ReportFormat(rawValue: String(name)) else { throw ValidationError("--format: unknown format '\(name)'; expected md, csv, svg, ipynb.") }
            return f
        }
        let trimmed = folder.hasSuffix("/") ? String(folder.dropLast()) : folder
        let scan = try TrialDirectory(path: trimmed + "/trials").scan()
        for problem in scan.problems { print("warning: \(problem)") }
        try writeReports(try scan.requireRecords(in: trimmed + "/trials"), formats: formats, folder: out ?? trimmed, merged: trimmed + ".h5", notebookFolder: notebooks,
                         command: "flywheel report \(trimmed)")
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
        let records = try scan.requireRecords(in: folder + "/trials")
        print(MarkdownReport.render(ExperimentAnalysis(records: records), command: "flywheel show \(folder)",
                                    provenance: Provenance(records: records)))
    }
}

/// The report formats `flywheel run` and `flywheel report` write.
enum ReportFormat: String, CaseIterable, ExpressibleByArgument {
    case md, csv, svg, ipynb
}

/// Writes the merged HDF5 and the asked formats (report.md; trials.csv and arms.csv; arms.svg and
/// curves.svg into `folder`, NAME.ipynb into `notebookFolder`), and prints the table.
func writeReports(_ records: [TrialRecord], formats: [ReportFormat], folder: String, merged: String, notebookFolder: String,
                  command: String) throws {
    let analysis = ExperimentAnalysis(records: records)
    let markdown = MarkdownReport.render(analysis, command: command, provenance: Provenance(records: records))
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try MergedResults.write(records, to: merged)
    var written = [merged]
    func save(_ text: String, _ path: String) throws { try text.write(toFile: path, atomically: true, encoding: .utf8); written.append(path) }
    for format in formats {
        switch format {
        case .md: try save(markdown, folder + "/report.md")
        case .csv:
            try save(CSVReport.trials(records), folder + "/trials.csv")
            try save(CSVReport.arms(analysis), folder + "/arms.csv")
        case .svg:
            try save(SVGChart.arms(analysis), folder + "/arms.svg")
            try save(SVGChart.curves(records), folder + "/curves.svg")
        case .ipynb:
            try FileManager.default.createDirectory(atPath: notebookFolder, withIntermediateDirectories: true)
            try save(try NotebookExport.render(experiment: analysis.experiment, mergedPath: relativePath(to: merged, from: notebookFolder),
                                               command: command), notebookFolder + "/" + analysis.experiment + ".ipynb")
        }
    }
    print(markdown)
    print("wrote " + written.joined(separator: ", "))
}

/// `target` as seen from the folder `base`: relative when both are relative to the working
/// directory, absolute otherwise.
func relativePath(to target: String, from base: String) -> String {
    guard !target.hasPrefix("/"), !base.hasPrefix("/") else {
        return target.hasPrefix("/") ? target : FileManager.default.currentDirectoryPath + "/" + target
    }
    let depth = base.split(separator: "/").filter { $0 != "." }.count
    return String(repeating: "../", count: depth) + target
}
