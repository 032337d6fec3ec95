import ArgumentParser
import Foundation
import Harness
import Reports
import Store

/// `flywheel reproduce [--quick | --full]`: Ng's model-centric versus data-centric table on the built-in scenarios.
struct ReproduceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Reproduce Ng's model-centric versus data-centric table on the built-in scenarios.",
        discussion: """
            Runs experiments/steel-defects.yaml, solar-panel.yaml and surface-inspection.yaml (resuming any \
            finished trials), writes each experiment's reports, then RESULTS/ng-table.md, ng-table.csv and \
            ng-table.svg and NOTEBOOKS/ng-table.ipynb: Ng's reported figures beside Flywheel's, with 95% \
            confidence intervals over seeds and p-values. The table's arms only: the baseline, the \
            model-centric and the data-centric arm. --full adds what the files declare beyond them (the \
            data-then-model arm and the review curve), on the same seeds, reusing the table's trials. \
            --quick runs a reduced version (2 seeds, 6 epochs, two model-centric variants) into \
            results/reproduce-quick for a first look. The article's other claims: flywheel claims.

            --suite real runs the same three arms on public real image sets instead (experiments/real/*.yaml: \
            NEU, X-SDD, DeepPCB, BCCD; fetched by scripts/fetch-real.sh and imported by make reproduce-real) \
            and writes RESULTS/real-table.md, .csv, .svg and NOTEBOOKS/real-table.ipynb.

            Examples:
              flywheel reproduce
              flywheel reproduce --full
              flywheel reproduce --quick
              flywheel reproduce --suite real
            """)

    @Flag(help: "A reduced run (2 seeds, 6 epochs, 2 variants) for a first look; results go to results/reproduce-quick.")
    var quick = false

    @Flag(help: "Also the data-then-model arm and the review curve the experiment files declare.")
    var full = false

    @Option(help: "The table to reproduce: ng (Ng's projects on the built-in scenarios) or real (public real image sets).")
    var suite: TableSuite = .ng

    @OptionGroup var training: TrainingJobs

    @Option(help: "Folder holding the experiment files.")
    var experiments = "experiments"

    @Option(help: "Results folder (default: results, or results/reproduce-quick with --quick).")
    var results: String?

    @OptionGroup var output: RunOutputOptions

    /// What --quick changes in every experiment.
    static let quickOverrides = ["seeds=[1,2]", "baseline.train.epochs=6",
                                 "arms.model-centric.variants=[cnn-wide, {train.optimizer: adam, train.lr: 0.001}]"]

    /// The command line that reproduces what this run writes.
    private var command: String {
        "flywheel reproduce" + (suite == .ng ? "" : " --suite \(suite.rawValue)") + (quick ? " --quick" : "") + (full ? " --full" : "")
    }

    func validate() throws {
        if quick && full { throw ValidationError("--quick and --full exclude each other.") }
    }

    func run() throws {
        let started = Date()
        let tableFolder = results ?? (quick ? "results/reproduce-quick" : "results")
        // The real suite's experiments report into RESULTS/real/NAME, beside its table in RESULTS.
        let folder = tableFolder + (suite == .ng ? "" : "/" + suite.rawValue)
        // A project's file may share its experiment's name with another (a robustness row): they then
        // share the trials they have in common, and each project's reports go to a folder named after its file.
        let table = suite.table
        let projects = try table.projects.filter { !$0.optional || FileManager.default.fileExists(atPath: "\(experiments)/\(table.subfolder)\($0.experiment).yaml") }
            .map { project -> (project: NgTable.Project, config: ExperimentConfig) in
                let loaded = try ExperimentConfig.load("\(experiments)/\(table.subfolder)\(project.experiment).yaml", overrides: quick ? Self.quickOverrides : [])
                return (project, full ? loaded : loaded.tableArmsOnly())
            }
        let launcher = output.localLauncher(results: folder, training: training)
        let finished = try output.runningSuite(projects, config: \.config, launcher: launcher) { item, records in
            let name = item.project.experiment
            try ReportWriter.write(records, formats: [.md, .csv, .svg], folder: folder + "/" + name, merged: folder + "/" + name + ".h5",
                                   notebookFolder: output.notebooks, command: command,
                                   title: name == item.config.name ? nil : "\(name) (\(item.project.name); experiment \(item.config.name))").show()
        }
        let analyses = Dictionary(uniqueKeysWithValues: finished.map { ($0.item.project.experiment, ExperimentAnalysis(records: $0.records)) })
        let merged = Dictionary(uniqueKeysWithValues: finished.map { ($0.item.project.experiment, folder + "/" + $0.item.project.experiment + ".h5") })
        try writeTable(analyses, merged: merged, folder: tableFolder, provenance: Provenance(records: finished.flatMap(\.records)))
        print(String(format: "reproduce took %.1f minutes", Date().timeIntervalSince(started) / 60))
        if finished.contains(where: { $0.records.contains { $0.status == .failed } }) { throw ExitCode(1) }
    }

    private func writeTable(_ analyses: [String: ExperimentAnalysis], merged: [String: String], folder: String, provenance: Provenance) throws {
        let suite = self.suite.table
        let table = NgTable.markdown(analyses, suite: suite, command: command, provenance: provenance)
        let notebookName = suite.file + (quick ? "-quick" : "") + ".ipynb"
        try FileManager.default.createDirectory(atPath: output.notebooks, withIntermediateDirectories: true)
        let stem = folder + "/" + suite.file
        let outputs = [(stem + ".md", table), (stem + ".csv", NgTable.csv(analyses, suite: suite)),
                       (stem + ".svg", SVGChart.ngTable(analyses, suite: suite)),
                       (output.notebooks + "/" + notebookName,
                        try NotebookExport.renderNgTable(mergedPaths: merged.mapValues { ReportWriter.relativePath(to: $0, from: output.notebooks) }, command: command, suite: suite))]
        for (path, text) in outputs { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        print(table)
        print("wrote " + outputs.map(\.0).joined(separator: ", "))
    }
}

/// The tables `flywheel reproduce` can run.
enum TableSuite: String, ExpressibleByArgument, CaseIterable {
    case ng, real

    var table: NgTable.Suite { self == .ng ? NgTable.ng : NgTable.real }
}
