import ArgumentParser
import Foundation
import Harness
import Reports
import Store

/// `flywheel reproduce --suite claims`: every claim file under `experiments/claims/` (or one, with
/// `--only`), each condition run like an experiment (resuming finished trials), then each claim's
/// report and charts in `results/claims/NAME/`, and the verdict table in `results/claims.md` and
/// `.csv` with `notebooks-export/claims.ipynb`.
struct ClaimsSuite {
    /// The claim files to run, in order.
    let files: [String]
    let quick: Bool
    /// Where each claim's folder goes (`results/claims`).
    let claimsFolder: String
    /// Where the verdict table goes (nil: a single claim, no table).
    let tableFolder: String?
    let output: RunOutputOptions
    let jobs: Int
    let command: String

    /// The claim files in `folder`, sorted by name (they are numbered).
    static func files(in folder: String, only: String?) throws -> [String] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
        guard !names.isEmpty else { throw ConfigError("\(folder): no claim files (*.yaml) there") }
        guard let only else { return names.map { folder + "/" + $0 } }
        guard let match = names.first(where: { $0 == only + ".yaml" || $0.dropLast(5).hasSuffix(only) }) else {
            throw ConfigError("--only \(only): no claim file of that name in \(folder); there are \(names.map { String($0.dropLast(5)) }.joined(separator: ", "))")
        }
        return [folder + "/" + match]
    }

    func run() throws {
        let claims = try files.map { try Claim.load($0, quick: quick) }   // every file checked before anything runs
        if output.fresh, FileManager.default.fileExists(atPath: claimsFolder) {
            let aside = claimsFolder + ".old-" + String(Int(Date().timeIntervalSince1970))
            try FileManager.default.moveItem(atPath: claimsFolder, toPath: aside)
            print("moved earlier results to \(aside)")
        }
        var results: [ClaimResult] = [], merged: [String: [String: String]] = [:], everything: [TrialRecord] = [], failed = false
        for claim in claims {
            print("== \(claim.name): \(claim.file) (\(claim.conditions.count) conditions)")
            var records: [String: [TrialRecord]] = [:]
            for condition in claim.conditions {
                var launcher = output.localLauncher(results: claimsFolder, jobs: jobs, threads: nil)
                launcher.fresh = false
                guard case .ran(let ran, let missing) = try output.launching(condition.experiment, with: launcher) else { continue }
                guard missing.isEmpty else {
                    print("\(missing.count) trial(s) of \(claim.name), condition \(condition.name), not run; run the same command again to finish them")
                    throw ExitCode(1)
                }
                failed = failed || ran.contains { $0.status == .failed }
                let folder = "\(claimsFolder)/\(claim.name)/\(condition.name)"
                _ = try ReportWriter.write(ran, formats: [.md, .csv], folder: folder, merged: folder + ".h5", notebookFolder: output.notebooks, command: command)
                merged[claim.name, default: [:]][condition.name] = folder + ".h5"
                records[condition.name] = ran
                everything += ran
            }
            let result = ClaimResult(claim: claim, records: records)
            try writeClaim(result)
            results.append(result)
        }
        if let tableFolder { try writeTable(results, merged: merged, folder: tableFolder, provenance: Provenance(records: everything)) }
        if failed { throw ExitCode(1) }
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
                       (output.notebooks + "/" + (quick ? "claims-quick.ipynb" : "claims.ipynb"),
                        try NotebookExport.renderClaims(results, mergedPaths: notebookPaths, command: command))]
        for (path, text) in outputs { try text.write(toFile: path, atomically: true, encoding: .utf8) }
        print(table)
        print("wrote " + outputs.map(\.0).joined(separator: ", "))
    }
}
