import ArgumentParser
import Reports
import Store

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

    @OptionGroup var results: ResultsFolder

    @Option(help: "Formats, comma-separated.")
    var format = CommaList(ReportFormat.allCases)

    @Option(help: "Where md, csv and svg go (default: the results folder).")
    var out: String?

    @Option(help: "Where the notebook goes.")
    var notebooks = "notebooks-export"

    func run() throws {
        let records = try results.scan().requireRecords(in: results.trials)
        try ReportWriter.write(records, formats: format.values, folder: out ?? results.path, merged: results.path + ".h5", notebookFolder: notebooks,
                               command: "flywheel report \(results.path)").show()
    }
}
