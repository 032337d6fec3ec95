import ArgumentParser
import Foundation
import Harness
import Reports

/// `flywheel calibrate EXPERIMENT.yaml [key=value ...]`: the baseline alone on the calibration seeds.
struct CalibrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "calibrate",
        abstract: "Run the baseline alone on an experiment's calibration seeds, never its report seeds.",
        discussion: """
            Calibration tunes a scenario (its difficulty, its noise) so the baseline lands near a target without \
            seeing any arm's result or any report seed: it runs only the baseline, only on the file's \
            calibration.seeds, which must not overlap seeds (exit 2). Give the settings to try as overrides; each \
            setting is its own run, RESULTS/NAME-calibration[-HASH of the overrides]/, whose report.md lists the \
            baseline per seed. Freeze the chosen settings in the experiment file before `flywheel run`.

            Examples:
              flywheel calibrate experiments/steel-defects.yaml
              flywheel calibrate experiments/steel-defects.yaml dataset.noise.slip=0.05 --jobs 2
            """)

    @OptionGroup var arguments: ExperimentArguments

    @OptionGroup var output: RunOutputOptions

    func run() throws {
        var config = try ExperimentConfig.load(arguments.experiment, overrides: arguments.overrides).calibration()
        if !arguments.overrides.isEmpty { config.name += "-" + stableHash(arguments.overrides.joined(separator: " "), digits: 8) }
        guard case .ran(let records, let missing, let signal) = try output.launching(config, with: output.localLauncher(for: arguments)) else { return }
        try output.report(records, missing: missing, interruptedBy: signal, of: config, in: arguments.results, formats: [.md, .csv], command: arguments.command("calibrate"))
    }
}
