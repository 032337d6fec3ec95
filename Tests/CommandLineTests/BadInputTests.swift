import Foundation
import TestSupport
import Testing

/// Every command that reads a file, given a bad one: exit code 2, a message naming the file and the
/// line or key, and nothing that was already on disk changed.
@Suite struct BadInputTests {
    /// A fresh folder with a valid dataset, a trial-less results folder and the files each case spoils.
    private let folder: String

    init() throws {
        folder = NSTemporaryDirectory() + "flywheel-bad-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/results/trials", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder + "/images/crack", withIntermediateDirectories: true)
        try Data("P5\n4 4\n255\n".utf8 + [UInt8](repeating: 7, count: 5)).write(to: URL(fileURLWithPath: folder + "/images/crack/short.pgm"))
        for (name, count) in [("few/rare", 3), ("few/common", 12), ("plain/a", 10), ("plain/b", 10), ("masked/a/Imgs", 1)] {
            try FileManager.default.createDirectory(atPath: folder + "/" + name, withIntermediateDirectories: true)
            for i in 0..<count {
                try Data("P5\n2 2\n255\n".utf8 + [UInt8](repeating: UInt8(20 * i % 250), count: 4)).write(to: URL(fileURLWithPath: "\(folder)/\(name)/\(i).pgm"))
            }
        }
        let generated = try runProcess(builtExecutable("flywheel"), ["data", "generate", "steel-defects", "--out", folder + "/data.h5", "--size", "16",
                                                                     "--per-class", "train=4,val=2,test=2"])
        #expect(generated.status == 0, "\(generated.output)")
        let trainOnly = try runProcess(builtExecutable("flywheel"), ["data", "generate", "steel-defects", "--out", folder + "/train-only.h5", "--size", "16",
                                                                     "--per-class", "train=6,val=0,test=0"])
        #expect(trainOnly.status == 0, "\(trainOnly.output)")
        let plain = try runProcess(builtExecutable("flywheel"), ["data", "import", folder + "/plain", "--out", folder + "/plain.h5", "--size", "8"])
        #expect(plain.status == 0, "\(plain.output)")
        for (name, text) in [("broken.yaml", "name: x\nseeds: [1\n"), ("unknown-scenario.yaml", "name: x\nseeds: [1]\ndataset: {scenario: nope}\n"),
                             ("missing-data.yaml", "name: x\nseeds: [1]\ndataset: {path: nowhere.h5}\n"),
                             ("no-test.yaml", "name: x\nseeds: [1]\ndataset: {path: train-only.h5}\n"),
                             ("overlap.yaml", "name: x\nseeds: [1, 2]\ncalibration: {seeds: [3, 2]}\ndataset: {scenario: steel-defects}\n"),
                             ("uncalibrated.yaml", "name: x\nseeds: [1]\ndataset: {scenario: steel-defects}\n"),
                             ("chooser.yaml", "name: x\nseeds: [1]\nanalysis: {choose_on: best}\ndataset: {scenario: steel-defects}\n"),
                             ("metric.yaml", "name: x\nseeds: [1]\nanalysis: {metric: f1}\ndataset: {scenario: steel-defects}\n"),
                             ("margin.yaml", "name: x\nseeds: [1]\nanalysis:\n  margin: 0\ndataset: {scenario: steel-defects}\n"),
                             ("sequential.yaml", "name: x\nseeds: [1, 2, 3, 4, 5, 6]\nanalysis:\n  sequential: {start: 5, step: 2, max: 4}\ndataset: {scenario: steel-defects}\n"),
                             ("unverified.yaml", "name: x\nseeds: [1]\nanalysis:\n  choose_on: verified\ndataset: {scenario: steel-defects}\n"),
                             ("labels.csv", "label\n0\n1\n2\n"), ("probs.csv", "0.5,0.5\n0.2,0.8\n"), ("bad-probs.csv", "0.5,0.5\n0.2,1.8\n0.5,0.5\n"), ("nan-probs.csv", "0.5,0.5\nnan,0.5\n0.5,0.5\n"),
                             ("sum-probs.csv", "0.5,0.4\n0.5,0.5\n0.5,0.5\n"), ("labels.npy", "\u{93}NUMPY garbage"),
                             ("not-hdf5.h5", "plain text\n"), ("results/trials/0a1b.h5", "truncated\n"), ("out.h5", "existing output\n"),
                             ("review.csv", "id,image,given_label,suggested_label,confidence,corrected_label\n0,,crazing,inclusion,0.9,no-such-class\n"),
                             ("images.csv", "path,label\nmissing.pgm,a\n"),
                             ("split-images.csv", "path,label,split\nimages/crack/short.pgm,crack,holdout\n"),
                             ("masked/a/Imgs/0.png", "a mask beside 0.pgm\n"), ("spaced.txt", "images/crack/short.pgm  1.0  mono\n")] {
            try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8)
        }
    }

    /// Every file under the folder with its contents.
    private func snapshot() throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in FileManager.default.enumerator(atPath: folder)!.compactMap({ $0 as? String }) {
            var isFolder: ObjCBool = false
            FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isFolder)
            if !isFolder.boolValue { files[path] = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path)) }
        }
        return files
    }

    static let cases: [(arguments: [String], message: String)] = [
        (["run", "broken.yaml"], "broken.yaml line 3, column 1: not valid YAML"),
        (["run", "unknown-scenario.yaml", "--results", "results"], "dataset.scenario: expected one of steel-defects"),
        (["run", "missing-data.yaml", "--results", "results"], "nowhere.h5"),
        (["run", "no-test.yaml", "--results", "results"], "dataset.path: train-only.h5 has no test split (train 36, val 0, test 0), and results are "
                                                          + "scored on the test split; import it again with one: flywheel data import SOURCE --out "
                                                          + "FILE.h5 --split train=0.6,val=0.2,test=0.2 (no-test.yaml line 3)"),
        (["run-trial", "broken.yaml", "--index", "0"], "broken.yaml line 3"),
        (["run", "overlap.yaml", "--results", "results"], "calibration.seeds and seeds both hold seed 2"),
        (["calibrate", "overlap.yaml", "--results", "results"], "overlap.yaml line 3"),
        (["calibrate", "uncalibrated.yaml", "--results", "results"], "calibration.seeds: missing"),
        (["run", "chooser.yaml", "--results", "results"], "analysis.choose_on: expected one of delivered, verified"),
        (["run", "metric.yaml", "--results", "results"], "analysis.metric: expected one of accuracy, balanced-accuracy"),
        (["run", "margin.yaml", "--results", "results"], "analysis.margin: expected a margin in (0, 1]"),
        (["run", "sequential.yaml", "--results", "results"], "analysis.sequential.max: 4 is below start (5); the rule adds seeds up to max (sequential.yaml line 4)"),
        (["run", "unverified.yaml", "--results", "results"], "analysis.choose_on: verified needs checked validation labels: dataset.verify"),
        (["merge", "results"], "results/trials/0a1b.h5: /: open file: not an HDF5 file"),
        (["report", "results"], "results/trials: /: none of its 1 trial file(s) could be read"),
        (["show", "results"], "results/trials: /: none of its 1 trial file(s) could be read"),
        (["label-issues", "--labels", "labels.csv", "--pred-probs", "probs.csv", "--out", "new.csv"], "labels.csv has 3 labels but probs.csv has 2 rows"),
        (["label-issues", "--labels", "labels.csv", "--pred-probs", "bad-probs.csv", "--out", "new.csv"], "bad-probs.csv line 2: 1.8 is not a probability in [0, 1]"),
        (["label-issues", "not-hdf5.h5", "--out", "new.csv"], "not-hdf5.h5: /: open file: not an HDF5 file"),
        (["label-issues", "--labels", "labels.csv", "--pred-probs", "nan-probs.csv", "--out", "new.csv"], "nan-probs.csv line 2: nan is not a probability in [0, 1]"),
        (["label-issues", "--labels", "labels.csv", "--pred-probs", "sum-probs.csv", "--out", "new.csv"], "sum-probs.csv line 1: the probabilities sum to 0.9"),
        (["label-issues", "--labels", "labels.npy", "--pred-probs", "probs.csv", "--out", "new.csv"], "labels.npy: not a NumPy .npy file"),
        (["label-issues", "--labels", "data.h5:/nowhere", "--pred-probs", "probs.csv", "--out", "new.csv"], "data.h5: /nowhere: no such dataset"),
        (["label-issues", "--labels", "labels.csv", "--pred-probs", "probs.csv", "--out", "review.csv"], "review.csv already exists"),
        (["train", "not-hdf5.h5", "--out", "new.h5"], "not-hdf5.h5: /: open file: not an HDF5 file"),
        (["train", "data.h5", "--out", "out.h5"], "out.h5 already exists"),
        (["train", "train-only.h5", "--out", "new.h5"], "train-only.h5 has no test split (train 36, val 0, test 0)"),
        (["data", "inspect", "not-hdf5.h5"], "not-hdf5.h5: /: open file: not an HDF5 file"),
        (["data", "import", "images.csv", "--out", "new.h5"], "images.csv line 2: image ./missing.pgm does not exist"),
        (["data", "import", "images", "--out", "new.h5"], "images/crack/short.pgm: PGM/PPM is truncated: 5 of 16 pixel bytes"),
        (["data", "import", "images.csv", "--out", "out.h5"], "out.h5 already exists"),
        (["data", "import", "split-images.csv", "--out", "new.h5"], "split-images.csv line 2: unknown split 'holdout'"),
        (["data", "import", "images", "--out", "new.h5", "--layout", "splits"], "images/crack: not a split folder"),
        (["data", "import", "few", "--out", "new.h5"], "folder:few: class 'rare' has 3 image(s); expected at least 10 per class"),
        (["data", "import", "masked", "--out", "new.h5"], "masked/a/Imgs/0.pgm and 0.png share a name"),
        (["data", "import", "spaced.txt", "--out", "new.h5"], "spaced.txt line 1: 3 fields separated by spaces and no header row naming them"),
        (["data", "import", "spaced.txt", "--out", "new.h5", "--columns", "path,grade,-"], "--columns: column 'grade' is unknown or repeated"),
        (["data", "import", "images.csv", "--out", "new.h5", "--exclude", "*.png"], "--exclude applies to a folder of images"),
        (["data", "import", "plain", "--out", "new.h5", "--hold-out", "test=0.2"], "folder:plain: --hold-out draws the splits a source's split "
                                                                                    + "folders or split column do not give"),
        (["data", "apply-review", "data.h5", "review.csv", "--out", "new.h5"], "review.csv line 2"),
        (["data", "apply-review", "data.h5", "review.csv", "--out", "out.h5"], "out.h5 already exists"),
        (["data", "generate", "steel-defects", "--out", "out.h5"], "out.h5 already exists"),
        (["data", "ambiguity", "data.h5", "--out", "out.h5"], "out.h5 already exists"),
        (["data", "ambiguity", "plain.h5", "--out", "new.h5", "--folds", "2", "--epochs", "1"], "plain.h5: 20 of the 20 images have no true label"),
        (["data", "ambiguity", "data.h5", "--out", "new.h5", "--folds", "10", "--epochs", "1"], "images, fewer than the 10 folds"),
        (["audit", "not-hdf5.h5", "--out", "new-audit"], "not-hdf5.h5: /: open file: not an HDF5 file"),
        (["audit", "data.h5", "--out", "out.h5"], "out.h5 already exists"),
        (["audit", "train-only.h5", "--out", "new-audit"], "train-only.h5: the audit scores on a validation or test split"),
        (["reproduce", "--experiments", "nowhere", "--results", "results"], "nowhere/steel-defects.yaml: cannot read the file"),
        (["reproduce", "--suite", "real", "--experiments", "nowhere", "--results", "results"], "nowhere/real/neu-det.yaml: cannot read the file"),
    ]

    @Test(arguments: cases.indices)
    func aBadFileExitsWithTwoNamesItAndChangesNothing(index: Int) throws {
        let (arguments, message) = Self.cases[index]
        let before = try snapshot()
        let result = try runProcess(builtExecutable("flywheel"), arguments, in: folder)
        #expect(result.status == 2, "\(arguments.joined(separator: " ")): exit \(result.status): \(result.output)")
        #expect(result.output.contains("error: "), "\(result.output)")
        #expect(result.output.contains(message), "\(arguments.joined(separator: " ")): \(result.output)")
        #expect(try snapshot() == before, "\(arguments.joined(separator: " ")) changed files on disk")
    }

    @Test func aCSVNamedWithoutAFolderFindsItsImagesInTheCurrentFolder() throws {
        let image = "P5\n2 2\n255\n".utf8 + [UInt8](repeating: 90, count: 4)
        try FileManager.default.createDirectory(atPath: folder + "/imgs/b", withIntermediateDirectories: true)
        try Data(image).write(to: URL(fileURLWithPath: folder + "/imgs/b/ok.pgm"))
        try Data(image).write(to: URL(fileURLWithPath: folder + "/imgs/b/ok2.pgm"))
        try "path,label\nimgs/b/ok.pgm,b\nimgs/b/ok2.pgm,c\n".write(toFile: folder + "/l.csv", atomically: true, encoding: .utf8)
        let result = try runProcess(builtExecutable("flywheel"), ["data", "import", "l.csv", "--out", "x.h5", "--size", "8", "--min-per-class", "1"], in: folder)
        #expect(result.status == 0, "\(result.output)")
        #expect(FileManager.default.fileExists(atPath: folder + "/x.h5"))
    }
}
