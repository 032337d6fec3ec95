import ArgumentParser
import Harness
import Reports
import Store

/// `flywheel show RESULTS/NAME`.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the summary table of an experiment's results folder.")

    @OptionGroup var results: ResultsFolder

    func run() throws {
        let records = try results.scan().requireRecords(in: results.trials)
        print(MarkdownReport.render(ExperimentAnalysis(records: records), command: "flywheel show \(results.path)",
                                    provenance: Provenance(records: records)))
        for claim in TrialClaims(folder: results.trials).held() {
            print("running now: \(claim.trialID) on \(claim.host), pid \(claim.pid), since \(claim.started)")
        }
    }
}
