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
              flywheel calibrate experiments/real/xsdd.yaml 'dataset.noise={model: none}' --confused-pairs 3

            --confused-pairs N prints the N class pairs the baseline confuses most on the test split (summed \
            over the calibration seeds, both directions), as dataset.noise.pairs writes them: run it with \
            the noise off to choose the look-alike pairs of an imported set by a model, not by hand.
            """)

    @OptionGroup var arguments: ExperimentArguments

    @OptionGroup var output: RunOutputOptions

    @Option(help: "Print the N class pairs the baseline confuses most (for dataset.noise.pairs).")
    var confusedPairs: Int?

    func run() throws {
        var config = try ExperimentConfig.load(arguments.experiment, overrides: arguments.overrides).calibration()
        if !arguments.overrides.isEmpty { config.name += "-" + stableHash(arguments.overrides.joined(separator: " "), digits: 8) }
        guard case .ran(let records, let missing, let signal) = try output.launching(config, with: output.localLauncher(for: arguments)) else { return }
        try output.report(records, missing: missing, interruptedBy: signal, of: config, in: arguments.results, formats: [.md, .csv], command: arguments.command("calibrate"))
        if let count = confusedPairs { printConfusedPairs(ConfusedPair.ranked(records, count: count)) }
    }

    private func printConfusedPairs(_ pairs: [ConfusedPair]) {
        print("most confused class pairs on the test split, calibration seeds summed (test images of either class taken for the other):")
        for pair in pairs { print("  \(pair.first) / \(pair.second): \(pair.mistakes)") }
        print("pairs: " + ConfusedPair.yaml(pairs))
    }
}
