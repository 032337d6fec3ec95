import ArgumentParser
import Claims
import Foundation
import Harness
import Reports
import Store

/// `flywheel claims [--only NAME] [--quick]`: every claim file under `experiments/claims/` (or
/// one), each condition run like an experiment (resuming finished trials), then each claim's
/// report and charts in `results/claims/NAME/`, and the verdict table in `results/claims.md` and
/// `.csv` with `notebooks-export/claims.ipynb`. `--version v1` or `v2` reruns an earlier version of
/// the claims (`experiments/claims-vN/`, into `results/claims-vN/`), kept as it was.
struct ClaimsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "claims",
        abstract: "Put the article's claims to their pre-registered tests.",
        discussion: """
            Runs every experiment file under EXPERIMENTS/claims (or the one --only names), each condition of \
            each claim, into RESULTS/claims/NAME, then RESULTS/claims.md and claims.csv (the verdict table) and \
            NOTEBOOKS/claims.ipynb. With --quick, each file's quick: settings into RESULTS/claims-quick, without \
            calibration seeds and so without a power (a spread measured on shortened trainings says nothing about \
            the design's). \
            --version v1 or v2 runs an earlier version of the claims (EXPERIMENTS/claims-v1 or -v2) into \
            RESULTS/claims-v1 or -v2, its table there and NOTEBOOKS/claims-v1.ipynb or -v2.ipynb.

            Examples:
              flywheel claims
              flywheel claims --only label-noise
              flywheel claims --quick
              flywheel claims --version v1
              flywheel claims --power --only small-data

            --power runs only the calibration seeds of the claims that state a power (claim.power) and prints \
            each claim's power at its report seeds and the seeds 80% would take; nothing is reported. The \
            author of a claim file fixes its report seeds with it before they run.
            """)

    @Flag(help: "Each claim file's quick: settings (fewer seeds and epochs, no calibration seeds, no power); results go to RESULTS/claims-quick.")
    var quick = false

    @Flag(help: "Run only the calibration seeds and print each claim's power at its report seeds (no reports).")
    var power = false

    @Option(help: "The version of the claims: v3 (experiments/claims), or v2 or v1 (experiments/claims-vN, kept as they ran).")
    var version: ClaimsVersion = .current

    @Option(help: "Run only this claim (its file name, with or without the number).")
    var only: String?

    @OptionGroup var training: TrainingJobs

    @Option(help: "Folder holding the experiment files (the claims are in its claims/ folder).")
    var experiments = "experiments"

    @Option(help: "Results folder.")
    var results = "results"

    @OptionGroup var output: RunOutputOptions

    /// The command line that reproduces what this run writes.
    private var command: String {
        "flywheel claims" + (version == .current ? "" : " --version \(version.rawValue)") + (only.map { " --only \($0)" } ?? "") + (quick ? " --quick" : "")
    }

    /// The version's name in folders: "claims" for the current one, else "claims-v1" or "claims-v2".
    private var stem: String { version == .current ? "claims" : "claims-\(version.rawValue)" }

    /// Where each claim's folder goes.
    private var claimsFolder: String { results + "/" + stem + (quick ? "-quick" : "") }

    /// Where the verdict table goes: RESULTS for the current version, the version's own folder otherwise.
    private var tableFolder: String { quick || version != .current ? claimsFolder : results }

    func validate() throws {
        if quick && power { throw ValidationError("--quick and --power exclude each other: a quick run's shortened trainings say nothing about the design's power.") }
    }

    func run() throws {
        let started = Date()
        let claims = try Self.files(in: experiments + "/" + stem, only: only).map { try Claim.load($0, quick: quick) }   // every file checked first
        if output.fresh, FileManager.default.fileExists(atPath: claimsFolder) {
            let aside = claimsFolder + ".old-" + String(Int(Date().timeIntervalSince1970))
            try FileManager.default.moveItem(atPath: claimsFolder, toPath: aside)
            print("moved earlier results to \(aside)")
        }
        var launcher = output.localLauncher(results: claimsFolder, training: training)
        launcher.fresh = false
        // The calibration seeds of the claims that state a power run first (none in a quick run): the power is fixed before any report seed runs.
        let runs = claims.flatMap { claim in (claim.powerCalibration ?? []).map { ClaimRun(claim: claim, condition: $0.condition, experiment: $0.experiment, calibration: true) } }
            + claims.flatMap { claim in claim.conditions.map { ClaimRun(claim: claim, condition: $0.name, experiment: $0.experiment, calibration: false) } }
        launcher.siblingTrials = Set(runs.flatMap { $0.experiment.plan(given: []).map(\.id) })
        // Two suites, so that no report seed starts before every calibration seed has finished.
        let calibrated = try output.runningSuite(runs.filter(\.calibration), config: \.experiment, launcher: launcher) { _, _ in }
        if power { return printPowers(claims, calibrated: calibrated) }
        let finished = try calibrated + output.runningSuite(runs.filter { !$0.calibration }, config: \.experiment, launcher: launcher) { item, records in
            let folder = "\(claimsFolder)/\(item.claim.name)/\(item.condition)"
            _ = try ReportWriter.write(records, formats: [.md, .csv], folder: folder, merged: folder + ".h5", notebookFolder: output.notebooks, command: command)
        }
        let results = try claims.map { claim in
            let mine = finished.filter { $0.item.claim.name == claim.name }
            let byCondition = { (calibration: Bool) in
                Dictionary(uniqueKeysWithValues: mine.filter { $0.item.calibration == calibration }.map { ($0.item.condition, $0.records) })
            }
            let result = ClaimResult(claim: claim, records: byCondition(false), calibration: byCondition(true))
            try writeClaim(result)
            return result
        }
        let reported = finished.filter { !$0.item.calibration }
        if only == nil {
            let merged = Dictionary(grouping: reported, by: \.item.claim.name).mapValues { items in
                Dictionary(uniqueKeysWithValues: items.map { ($0.item.condition, "\(claimsFolder)/\($0.item.claim.name)/\($0.item.condition).h5") })
            }
            try writeTable(results, merged: merged, folder: tableFolder, provenance: Provenance(records: reported.flatMap(\.records)))
        }
        print(String(format: "the claims took %.1f minutes", Date().timeIntervalSince(started) / 60))
        if finished.contains(where: { $0.records.contains { $0.status == .failed } }) { throw ExitCode(1) }
    }

    /// The claim files in `folder`, in the order of the numbers they start with (9 before 10).
    static func files(in folder: String, only: String?) throws -> [String] {
        func number(_ name: String) -> Int { Int(name.prefix { $0.isNumber }) ?? .max }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }
            .sorted { (number($0), $0) < (number($1), $1) }
        guard !names.isEmpty else { throw ConfigError("\(folder): no claim files (*.yaml) there") }
        guard let only else { return names.map { folder + "/" + $0 } }
        guard let match = names.first(where: { $0 == only + ".yaml" || $0.dropLast(5).hasSuffix(only) }) else {
            throw ConfigError("--only \(only): no claim file of that name in \(folder); there are \(names.map { String($0.dropLast(5)) }.joined(separator: ", "))")
        }
        return [folder + "/" + match]
    }

    /// Each claim's power at its report seeds, from its calibration runs (`--power`).
    private func printPowers(_ claims: [Claim], calibrated: [(item: ClaimRun, records: [TrialRecord])]) {
        for claim in claims {
            let mine = Dictionary(uniqueKeysWithValues: calibrated.filter { $0.item.claim.name == claim.name }.map { ($0.item.condition, $0.records) })
            let power = ClaimResult.power(of: claim, calibration: mine)
            print("\(claim.name): " + (power.map { ClaimFamily.powerText($0) + String(format: " (a − b spread %.1f points, %d df)", 100 * $0.standardDeviation, $0.degreesOfFreedom) }
                                                 ?? "no power stated (claim.power) or no calibration seeds finished"))
        }
    }

    /// `NAME/claim.md`, `NAME/arms.svg` and, where labels are bought in rounds, `NAME/labels.svg`.
    private func writeClaim(_ result: ClaimResult) throws {
        let folder = "\(claimsFolder)/\(result.claim.name)"
        let markdown = (ClaimsMarkdown.section(result, number: 1).dropFirst(1).joined(separator: "\n"))
        var outputs = [(folder + "/claim.md", "# \(result.claim.name)\n" + markdown + "\n\nReproduce with `\(command)`.\n"),
                       (folder + "/arms.svg", ClaimCharts.arms(result))]
        if let labels = ClaimCharts.labelsBought(result) { outputs.append((folder + "/labels.svg", labels)) }
        for (path, text) in outputs { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        print("\(result.claim.name): \(result.verdict.summary)  (\(result.claim.test.prediction))")
        print("wrote " + outputs.map(\.0).joined(separator: ", "))
    }

    private func writeTable(_ results: [ClaimResult], merged: [String: [String: String]], folder: String, provenance: Provenance) throws {
        try FileManager.default.createDirectory(atPath: output.notebooks, withIntermediateDirectories: true)
        let notebookPaths = merged.mapValues { $0.mapValues { ReportWriter.relativePath(to: $0, from: output.notebooks) } }
        let table = ClaimsMarkdown.render(results, command: command, provenance: provenance)
        let outputs = [(folder + "/claims.md", table), (folder + "/claims.csv", ClaimsCSV.render(results)),
                       (output.notebooks + "/" + stem + (quick ? "-quick" : "") + ".ipynb",
                        try NotebookExport.renderClaims(results, mergedPaths: notebookPaths, command: command))]
        for (path, text) in outputs { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        print(table)
        print("wrote " + outputs.map(\.0).joined(separator: ", "))
    }
}

/// One experiment a claims run launches: a condition of a claim on its report seeds, or on its
/// calibration seeds to measure the spread its power is simulated from.
struct ClaimRun {
    let claim: Claim
    let condition: String
    let experiment: ExperimentConfig
    let calibration: Bool
}

/// The versions of the claims suite: each kept with its files and results when the next changed them.
enum ClaimsVersion: String, ExpressibleByArgument, CaseIterable {
    /// The first claims (experiments/claims-v1, results/claims-v1), kept as they ran.
    case v1
    /// The second (experiments/claims-v2, results/claims-v2), kept as they ran.
    case v2
    /// The current claims (experiments/claims, results/claims.md).
    case v3

    static let current = ClaimsVersion.v3
}
