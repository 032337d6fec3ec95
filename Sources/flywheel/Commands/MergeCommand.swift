import ArgumentParser
import Harness
import Reports
import Store

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

    @OptionGroup var results: ResultsFolder

    @Option(help: "Where the notebook goes.")
    var notebooks = "notebooks-export"

    func run() throws {
        let scan = try results.scan()
        try scan.requireAReadableFileWhenAnyExists(in: results.trials)
        if !scan.records.isEmpty {
            try ReportWriter.write(scan.records, formats: ReportFormat.allCases, folder: results.path, merged: results.path + ".h5",
                                   notebookFolder: notebooks, command: "flywheel merge \(results.path)").show()
        }
        let unfinished = PlanFile.unfinished(in: results.path, records: scan.records + scan.superseded)
        guard !unfinished.isEmpty || scan.records.isEmpty else { return }
        if scan.records.isEmpty { print("no finished trials in \(results.trials)") }
        for line in unfinished { print(line) }
        throw ExitCode(1)
    }
}
