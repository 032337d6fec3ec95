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
            results/reproduce-quick for a first look.

            --suite claims runs the article's claims instead: every experiment file under \
            EXPERIMENTS/claims (or the one --only names), each condition of each claim, into \
            RESULTS/claims/NAME, then RESULTS/claims.md and claims.csv (the verdict table) and \
            NOTEBOOKS/claims.ipynb. With --quick, each file's quick: settings into results/claims-quick.

            Examples:
              flywheel reproduce
              flywheel reproduce --full
              flywheel reproduce --quick
              flywheel reproduce --suite claims
              flywheel reproduce --suite claims --only label-noise
            """)

    @Flag(help: "A reduced run (2 seeds, 6 epochs, 2 variants) for a first look; results go to results/reproduce-quick.")
    var quick = false

    @Flag(help: "Also the data-then-model arm and the review curve the experiment files declare.")
    var full = false

    @Option(help: "ng: Ng's table. claims: the article's claims, one experiment per claim under EXPERIMENTS/claims.")
    var suite: Suite = .ng

    @Option(help: "With --suite claims: run only this claim (its file name, with or without the number).")
    var only: String?

    @Option(help: "Trials run side by side (default: the number of cores).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount

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
        "flywheel reproduce" + (suite == .claims ? " --suite claims" : "") + (only.map { " --only \($0)" } ?? "") + (quick ? " --quick" : "") + (full ? " --full" : "")
    }

    /// The claims suite (`ClaimsSuite`): into RESULTS/claims (RESULTS/claims-quick with --quick).
    private func runClaims() throws {
        let started = Date()
        let root = results ?? "results"
        let claimsFolder = root + (quick ? "/claims-quick" : "/claims")
        try ClaimsSuite(files: try ClaimsSuite.files(in: experiments + "/claims", only: only), quick: quick, claimsFolder: claimsFolder,
                        tableFolder: only == nil ? (quick ? claimsFolder : root) : nil, output: output, jobs: jobs, command: command).run()
        print(String(format: "the claims took %.1f minutes", Date().timeIntervalSince(started) / 60))
    }

    /// What `reproduce` runs.
    enum Suite: String, ExpressibleByArgument, CaseIterable { case ng, claims }

    func validate() throws {
        if quick && full { throw ValidationError("--quick and --full exclude each other.") }
        if suite == .claims && full { throw ValidationError("--full belongs to --suite ng.") }
        if only != nil && suite != .claims { throw ValidationError("--only goes with --suite claims.") }
    }

    func run() throws {
        if suite == .claims { return try runClaims() }
        let started = Date()
        let folder = results ?? (quick ? "results/reproduce-quick" : "results")
        var analyses: [String: ExperimentAnalysis] = [:], merged: [String: String] = [:], allRecords: [TrialRecord] = [], failed = false
        for project in NgTable.projects {
            let file = "\(experiments)/\(project.experiment).yaml"
            let loaded = try ExperimentConfig.load(file, overrides: quick ? Self.quickOverrides : [])
            let config = full ? loaded : loaded.tableArmsOnly()
            print("== \(project.name): \(file)")
            guard case .ran(let records, let missing) = try output.launching(config, with: output.localLauncher(results: folder, jobs: jobs, threads: nil))
            else { continue }
            guard missing.isEmpty else {
                print("\(missing.count) trial(s) of \(config.name) not run; run the same command again to finish them")
                throw ExitCode(1)
            }
            failed = failed || records.contains { $0.status == .failed }
            merged[config.name] = folder + "/" + config.name + ".h5"
            try ReportWriter.write(records, formats: [.md, .csv, .svg], folder: folder + "/" + config.name, merged: merged[config.name]!,
                             notebookFolder: output.notebooks, command: command).show()
            analyses[config.name] = ExperimentAnalysis(records: records)
            allRecords += records
        }
        try writeTable(analyses, merged: merged, folder: folder, provenance: Provenance(records: allRecords))
        print(String(format: "reproduce took %.1f minutes", Date().timeIntervalSince(started) / 60))
        if failed { throw ExitCode(1) }
    }

    private func writeTable(_ analyses: [String: ExperimentAnalysis], merged: [String: String], folder: String, provenance: Provenance) throws {
        let table = NgTable.markdown(analyses, command: command, provenance: provenance)
        let notebookName = quick ? "ng-table-quick.ipynb" : "ng-table.ipynb"
        try FileManager.default.createDirectory(atPath: output.notebooks, withIntermediateDirectories: true)
        let outputs = [(folder + "/ng-table.md", table), (folder + "/ng-table.csv", NgTable.csv(analyses)),
                       (folder + "/ng-table.svg", SVGChart.ngTable(analyses)),
                       (output.notebooks + "/" + notebookName,
                        try NotebookExport.renderNgTable(mergedPaths: merged.mapValues { ReportWriter.relativePath(to: $0, from: output.notebooks) }, command: command))]
        for (path, text) in outputs { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        print(table)
        print("wrote " + outputs.map(\.0).joined(separator: ", "))
    }
}
