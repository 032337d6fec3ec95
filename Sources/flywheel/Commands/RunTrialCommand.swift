import ArgumentParser
import Harness
import Store

/// `flywheel run-trial EXPERIMENT.yaml --index I`: one trial of the plan (a Slurm array task).
struct RunTrialCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-trial",
        abstract: "Run exactly one trial of an experiment's plan (what each Slurm array task does).",
        discussion: """
            The plan is expanded as by `flywheel run`, so trial ids are the same as in a local run. The result goes \
            atomically into RESULTS/NAME/trials/; a trial that already has a verified result is skipped, so \
            resubmitting an array reruns only what is missing.

            Example:
              flywheel run-trial experiments/quick.yaml --index 3
            """)

    @Argument(help: "Experiment file (YAML).")
    var experiment: String

    @Argument(help: "Overrides, key.path=value (values in YAML).")
    var overrides: [String] = []

    @Option(help: "Index of the trial in the plan (0-based; $SLURM_ARRAY_TASK_ID in an array).")
    var index: Int

    @Option(help: "Results folder.")
    var results = "results"

    @Option(help: "Engine threads.")
    var threads = 1

    func run() throws {
        let config = try ExperimentConfig.load(experiment, overrides: overrides)
        let runner = ExperimentRunner(config: config, resultsFolder: results + "/" + config.name, threadsPerJob: max(1, threads))
        let record: TrialRecord, ranNow: Bool
        do {
            (record, ranNow) = try runner.runTrial(at: index)
        } catch let error as RunError {
            guard case .claimedElsewhere = error else { throw error }
            print("skipped trial \(index): \(error)")
            return
        }
        let outcome = record.metrics?.scoresText(config.analysisPlan.metric) ?? record.error
        print("\(ranNow ? "ran" : "skipped (already done)") trial \(index) \(record.trialID): \(record.status.rawValue), \(outcome)")
        if record.status == .failed { throw ExitCode(1) }
    }
}
