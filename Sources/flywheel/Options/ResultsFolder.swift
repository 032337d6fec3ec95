import ArgumentParser
import Store

/// The results folder `report`, `merge` and `show` read: `RESULTS/NAME`, holding `trials/`.
struct ResultsFolder: ParsableArguments {
    @Argument(help: "An experiment's results folder (holding trials/).")
    var folder: String

    /// The folder without a trailing slash.
    var path: String { folder.hasSuffix("/") ? String(folder.dropLast()) : folder }

    var trials: String { path + "/trials" }

    /// Reads the trial files, printing a warning for each one that cannot be read and saying how
    /// many were set aside as older resolutions of a trial.
    func scan() throws -> TrialDirectory.Scan {
        let scan = try TrialDirectory(path: trials).scan()
        for problem in scan.problems { print("warning: \(problem)") }
        if let example = scan.superseded.first {
            print("warning: \(scan.superseded.count) trial file(s) in \(trials) hold an older resolution of a trial another file holds "
                  + "(same arm, variant and seed, another resolved config, e.g. \(example.trialID)); reporting the newest of each")
        }
        return scan
    }
}
