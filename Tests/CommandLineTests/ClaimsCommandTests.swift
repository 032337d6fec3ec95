import Foundation
import TestSupport
import Testing

/// `flywheel claims` end to end: a tiny claim file through the command line, its
/// verdict table in markdown and CSV, each condition's merged results, the charts, a resumed run, and
/// the exported notebook rebuilding the verdicts from the HDF5 files.
@Suite struct ClaimsCommandTests {
    static let claim = """
        name: claim-tiny
        claim:
          statement: "Cleaning beats model work at any noise level."
          effect: {a: data-centric, b: model-centric}
          expect: positive
          power: {effect: 0.05}
        conditions:
          - {name: low, x: 1, set: {dataset.noise: {model: uniform, rate: 0.01}}}
          - {name: high, x: 30, set: {dataset.noise: {model: uniform, rate: 0.3}}}
        seeds: [1, 2, 3]
        calibration: {seeds: [101, 102]}
        dataset:
          scenario: steel-defects
          image_size: 16
          per_class: {train: 8, val: 4, test: 6}
        baseline:
          train: {epochs: 2, batch: 16}
        arms:
          model-centric:
            variants: [{train.optimizer: adam, train.lr: 0.001}, {train.sample_weights: balanced}]
          data-centric:
            steps:
              - label-issues: {folds: 2}
              - relabel: {budget: 0.3, reviewer: consistent}

        """

    @Test func theClaimsSuiteWritesVerdictsThatTheNotebookRebuildsFromTheHDF5Files() throws {
        let folder = NSTemporaryDirectory() + "flywheel-claims-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/experiments/claims", withIntermediateDirectories: true)
        try Self.claim.write(toFile: folder + "/experiments/claims/1-tiny.yaml", atomically: true, encoding: .utf8)
        let arguments = ["claims", "--experiments", "experiments", "--results", "results", "--notebooks", "nb", "--quiet"]
        let run = try runProcess(builtExecutable("flywheel"), arguments, in: folder)
        #expect(run.status == 0, "\(run.output)")
        for file in ["results/claims.md", "results/claims.csv", "nb/claims.ipynb", "results/claims/claim-tiny/claim.md", "results/claims/claim-tiny/arms.svg",
                     "results/claims/claim-tiny/low.h5", "results/claims/claim-tiny/high.h5", "results/claims/claim-tiny/high/report.md"] {
            #expect(FileManager.default.fileExists(atPath: folder + "/" + file), "\(file) missing")
        }
        let csv = try String(contentsOfFile: folder + "/results/claims.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { $0[4] } == ["low", "high"], "\(csv)")
        let table = try String(contentsOfFile: folder + "/results/claims.md", encoding: .utf8)
        #expect(table.contains("| 1 | Cleaning beats model work at any noise level. | `experiments/claims/1-tiny.yaml` | data-centric > model-centric |"), "\(table)")
        #expect(table.contains("**" + rows[0].last! + "**"), "the table's verdict is the CSV's: \(table)")
        // The power comes from the calibration seeds, run before and kept out of every report.
        // …power_effect, power, power_sd, seeds_for_80, verdict_after_correction (counted from the end: the detail holds commas).
        #expect(rows.allSatisfy { $0[$0.count - 5] == "0.05" && Double($0[$0.count - 4]) != nil && Double($0[$0.count - 3]) != nil }, "\(csv)")
        #expect(table.contains("Power, stated before the report seeds ran: at a true effect of 5.0 points"), "\(table)")
        let conditionReport = try String(contentsOfFile: folder + "/results/claims/claim-tiny/high/report.md", encoding: .utf8)
        #expect(!conditionReport.contains("101") && !conditionReport.contains("102"), "calibration seeds in a report: \(conditionReport)")

        // A second run resumes every trial and writes the same table.
        let trials = folder + "/results/claims/claim-tiny/trials"
        let before = try FileManager.default.contentsOfDirectory(atPath: trials).sorted()
        let again = try runProcess(builtExecutable("flywheel"), arguments, in: folder)
        let rewritten = try String(contentsOfFile: folder + "/results/claims.csv", encoding: .utf8)
        let after = try FileManager.default.contentsOfDirectory(atPath: trials).sorted()
        #expect(again.status == 0 && rewritten == csv && after == before, "\(again.output)")

        // The notebook, from the merged HDF5 files alone, finds the same effects, intervals and verdict.
        try expectTheNotebookRebuilds(rows, claim: "claim-tiny", notebook: folder + "/nb/claims.ipynb")
    }

    /// A side read in a partner of each condition the verdict reads: the same test on other data
    /// (here: the data arm at 1% noise against itself at 30%, on two training-set sizes).
    @Test func aSideReadInEachConditionsPartnerIsPairedWithItAndTheNotebookAgrees() throws {
        let folder = NSTemporaryDirectory() + "flywheel-claims-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/experiments/claims", withIntermediateDirectories: true)
        let partnered = Self.claim
            .replacingOccurrences(of: "effect: {a: data-centric, b: model-centric}\n  expect: positive\n  power: {effect: 0.05}",
                                  with: "effect: {a: {arm: data-centric, condition: {high: low, more-high: more-low}}, b: data-centric}\n  expect: positive\n  at: [high, more-high]")
            .replacingOccurrences(of: "  - {name: high, x: 30, set: {dataset.noise: {model: uniform, rate: 0.3}}}\n",
                                  with: "  - {name: high, x: 30, set: {dataset.noise: {model: uniform, rate: 0.3}}}\n"
                                      + "  - {name: more-low, set: {dataset.noise: {model: uniform, rate: 0.01}, dataset.per_class.train: 12}}\n"
                                      + "  - {name: more-high, set: {dataset.noise: {model: uniform, rate: 0.3}, dataset.per_class.train: 12}}\n")
        #expect(partnered.contains("more-high: more-low") && partnered.contains("name: more-low"))
        try partnered.write(toFile: folder + "/experiments/claims/1-tiny.yaml", atomically: true, encoding: .utf8)
        let run = try runProcess(builtExecutable("flywheel"), ["claims", "--experiments", "experiments", "--results", "results", "--notebooks", "nb", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.output)")
        let csv = try String(contentsOfFile: folder + "/results/claims.csv", encoding: .utf8)
        let rows = csv.split(separator: "\n").dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.map { $0[4] } == ["high", "more-high"], "\(csv)")
        let table = try String(contentsOfFile: folder + "/results/claims.md", encoding: .utf8)
        #expect(table.contains("data-centric (low / more-low) > data-centric"), "\(table)")
        try expectTheNotebookRebuilds(rows, claim: "claim-tiny", notebook: folder + "/nb/claims.ipynb")
    }

    /// Runs the exported notebook; per CSV row, its effect, interval, p-value, holds and verdict agree,
    /// and so do its decision, the prediction's and the claim's p-values, Holm's and the verdict after correction.
    private func expectTheNotebookRebuilds(_ rows: [[String]], claim: String, notebook: String) throws {
        let python = try pythonEnvironment([("h5py", "h5py"), ("pandas", "pandas"), ("scipy", "scipy"), ("matplotlib", "matplotlib"),
                                            ("nbclient", "nbclient"), ("nbformat", "nbformat"), ("ipykernel", "ipykernel")])
        let script = """
            import nbformat, sys, os
            from nbclient import NotebookClient
            nb = nbformat.read(sys.argv[1], as_version=4)
            NotebookClient(nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": os.path.dirname(sys.argv[1])}}).execute()
            print("".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])))
            """
        let executed = try runProcess(python, ["-c", script, notebook])
        #expect(executed.status == 0, "\(executed.output)")
        let tables = executed.output.components(separatedBy: "After Holm's correction over the claims:")
        try #require(tables.count == 2, "\(executed.output)")
        for row in rows {
            let line = try #require(tables[0].split(separator: "\n").first { $0.contains(" \(claim) ") && $0.contains(" \(row[4]) ") }, "\(executed.output)")
            let fields = line.split(separator: " ").map(String.init)
            // index claim condition seeds effect ci_low ci_high p_value holds verdict…
            #expect(fields[3] == row[5], "seeds: \(line) vs \(row)")
            for (column, index) in [(4, 6), (5, 7), (6, 8), (7, 9)] {
                #expect(Double(fields[column]).map { abs($0 - Double(row[index])!) < 1e-4 } == true, "\(line) vs \(row)")
            }
            #expect(fields[8].lowercased() == row[10], "holds: \(line) vs \(row)")
            #expect(line.hasSuffix(row[11]), "verdict: \(line) vs \(row)")
            // index claim condition decision prediction_p_value claim_p_value claim_p_value_holm verdict_after_correction…
            let corrected = try #require(tables[1].split(separator: "\n").first { $0.contains(" \(claim) ") && $0.contains(" \(row[4]) ") }, "\(tables[1])")
            let words = corrected.split(separator: " ").map(String.init)
            #expect(words[3] == row[row.count - 9], "decision: \(corrected) vs \(row)")
            for (column, fromEnd) in [(4, 8), (5, 7), (6, 6)] {
                #expect(Double(words[column]).map { abs($0 - Double(row[row.count - fromEnd])!) < 1e-4 } == true, "\(corrected) vs \(row)")
            }
            #expect(corrected.hasSuffix(row[row.count - 1]), "verdict after correction: \(corrected) vs \(row)")
        }
    }

    /// A quick run is a first look: no calibration seed trains, and no power is stated from its
    /// shortened trainings; asking it for a power is refused.
    @Test func aQuickRunTrainsNoCalibrationSeedAndStatesNoPower() throws {
        let folder = NSTemporaryDirectory() + "flywheel-claims-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/experiments/claims", withIntermediateDirectories: true)
        let quick = Self.claim.replacingOccurrences(of: "conditions:\n", with: "quick: {seeds: [1, 2], calibration.seeds: [101, 102]}\nconditions:\n")
        #expect(quick.contains("quick: {seeds"))
        try quick.write(toFile: folder + "/experiments/claims/1-tiny.yaml", atomically: true, encoding: .utf8)
        let run = try runProcess(builtExecutable("flywheel"), ["claims", "--quick", "--results", "results", "--notebooks", "nb", "--quiet"], in: folder)
        #expect(run.status == 0, "\(run.output)")
        let trials = try FileManager.default.contentsOfDirectory(atPath: folder + "/results/claims-quick/claim-tiny/trials")
        #expect(!trials.isEmpty && trials.allSatisfy { $0.contains("-s1-") || $0.contains("-s2-") }, "\(trials)")
        let table = try String(contentsOfFile: folder + "/results/claims-quick/claims.md", encoding: .utf8)
        #expect(table.contains("| none in a quick run |") && table.contains("Power: none in a quick run") && !table.contains("Power, stated"), "\(table)")
        let verdict = try #require(table.split(separator: "\n").first { $0.hasPrefix("| 1 |") }.map(String.init))
        #expect(verdict.contains("| **supported") || verdict.contains("| **not shown in a quick run (2 seeds, no power: a first look, not the test)**"), "\(verdict)")
        let refused = try runProcess(builtExecutable("flywheel"), ["claims", "--quick", "--power", "--results", "other"], in: folder)
        #expect(refused.status == 2 && refused.output.contains("--quick and --power exclude each other"), "\(refused.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/other"))
    }

    @Test func anUnknownClaimIsRefusedNamingTheClaimsThereAre() throws {
        let folder = NSTemporaryDirectory() + "flywheel-claims-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/experiments/claims", withIntermediateDirectories: true)
        try Self.claim.write(toFile: folder + "/experiments/claims/1-tiny.yaml", atomically: true, encoding: .utf8)
        let run = try runProcess(builtExecutable("flywheel"), ["claims", "--only", "huge", "--results", "results"], in: folder)
        #expect(run.status == 2 && run.output.contains("--only huge: no claim file of that name in experiments/claims; there are 1-tiny"), "\(run.output)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/results"))
        // The first version of the claims is kept in its own folder and run from there.
        let first = try runProcess(builtExecutable("flywheel"), ["claims", "--version", "v1", "--results", "results"], in: folder)
        #expect(first.status == 2 && first.output.contains("experiments/claims-v1: no claim files"), "\(first.output)")
    }
}
