import Engine
import Foundation
import Store
import TestSupport
import Testing
@testable import Datasets

/// What teams have: several annotators per image, graded labels, 16-bit and TIFF files, images
/// that are not square; decoded on several threads with the same result as on one.
@Suite struct TeamDataImportTests {
    private func folder() -> String {
        let path = NSTemporaryDirectory() + "flywheel-team-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    private func gray(_ path: String, shade: UInt8) throws {
        try write(DecodedImage(width: 8, height: 8, channels: 1, pixels: Array(repeating: shade, count: 64)).encodedNetpbm(), path)
    }

    private var eightPixels: ImportOptions {
        var options = ImportOptions()
        options.imageSize = 8
        options.fractions = [.train: 1]
        return options
    }

    @Test func sixteenBitPNGAndTIFFScaleLinearlyToEightBits() throws {
        let root = folder()
        let wide: [UInt16] = [0, 257, 32_896, 65_535]   // 0, 1, 128, 255 in eight bits
        try write(TestImageFiles.png16(width: 2, height: 2, samples: wide), root + "/a.png")
        try write(TestImageFiles.tiff(width: 2, height: 2, channels: 1, bits: 16, samples: wide), root + "/b.tif")
        try write(TestImageFiles.tiff(width: 2, height: 1, channels: 3, bits: 8, samples: [10, 20, 30, 40, 50, 60]), root + "/c.tiff")
        #expect(try DecodedImage.read(root + "/a.png") == DecodedImage(width: 2, height: 2, channels: 1, pixels: [0, 1, 128, 255]))
        #expect(try DecodedImage.read(root + "/b.tif") == DecodedImage(width: 2, height: 2, channels: 1, pixels: [0, 1, 128, 255]))
        #expect(try DecodedImage.read(root + "/c.tiff") == DecodedImage(width: 2, height: 1, channels: 3, pixels: [10, 20, 30, 40, 50, 60]))
        try write(Array("II*\0 truncated".utf8), root + "/d.tif")
        #expect(throws: DatasetError.self) { try DecodedImage.read(root + "/d.tif") }
        let error = try #require(throws: DatasetError.self) { try DecodedImage.read(root + "/d.tif") }
        #expect(error.description.hasPrefix(root + "/d.tif: TIFF: "), "\(error)")
    }

    @Test func fitCropsOrPadsToASquare() {
        // 4×2: columns 10, 20, 30, 40 on both rows.
        let wide = DecodedImage(width: 4, height: 2, channels: 1, pixels: [10, 20, 30, 40, 10, 20, 30, 40])
        #expect(wide.fitted(to: 2, by: .crop).pixels == [20, 30, 20, 30], "the centred 2×2")
        #expect(wide.fitted(to: 4, by: .pad).pixels == [25, 25, 25, 25, 10, 20, 30, 40, 10, 20, 30, 40, 25, 25, 25, 25],
                "a row of the mean (25) above and below")
        #expect(wide.fitted(to: 2, by: .resize).pixels == [15, 35, 15, 35], "stretched: each output pixel averages two columns")
    }

    @Test func decodingOnSeveralThreadsGivesTheSameDataset() throws {
        let root = folder()
        for c in ["a", "b"] {
            try FileManager.default.createDirectory(atPath: root + "/" + c, withIntermediateDirectories: true)
            for i in 0..<40 { try gray("\(root)/\(c)/\(i).pgm", shade: UInt8(i * 6 + (c == "a" ? 0 : 3))) }
        }
        var one = eightPixels, four = eightPixels
        one.decodingThreads = 1
        four.decodingThreads = 4
        let serial = try Dataset.importFolder(root, options: one).dataset
        let parallel = try Dataset.importFolder(root, options: four).dataset
        #expect(parallel.pixels == serial.pixels && parallel.delivered == serial.delivered && parallel.splits == serial.splits)
        #expect(serial.count == 80)
    }

    /// Sets that keep each class's images in a subfolder with a mask beside each image (the layout
    /// of `MT_<class>/Imgs/<n>.jpg` and `<n>.png`): the images are found at any depth, the masks
    /// are refused by name until `exclude` leaves them out, and a folder name leaves out its folders.
    @Test func classFoldersWithSubfoldersAndMasksBesideTheImages() throws {
        let root = folder()
        let mask = try #require(DecodedImage(width: 8, height: 8, channels: 1, pixels: Array(repeating: 255, count: 64)).encodedPNG())
        for (name, shade) in [("MT_a", UInt8(40)), ("MT_b", UInt8(200))] {
            let images = root + "/" + name + "/Imgs"
            try FileManager.default.createDirectory(atPath: images + "/deeper", withIntermediateDirectories: true)
            for i in 0..<3 {
                try gray("\(images)/\(i).pgm", shade: shade + UInt8(i))
                try write(mask, "\(images)/\(i).png")
            }
            try gray("\(images)/deeper/3.pgm", shade: shade + 3)
        }
        try "about the set".write(toFile: root + "/README.md", atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(root)/MT_a/Imgs/0.pgm and 0.png share a name: masks or second copies beside the images would "
                                             + "enter the set as images of their own; leave one kind out with --exclude '*.png' "
                                             + "(or '*.pgm', whichever are not the images)")) {
            try Dataset.importFolder(root, options: eightPixels)
        }
        var options = eightPixels
        options.exclude = ["*.png"]
        let result = try Dataset.importFolder(root, options: options)
        #expect(result.dataset.classNames == ["MT_a", "MT_b"])
        #expect(result.dataset.delivered.sorted() == [0, 0, 0, 0, 1, 1, 1, 1])
        #expect(result.dataset.pixels.max() == 203, "no mask (255) among the images")
        #expect(result.excluded.count == 6 && result.excluded.allSatisfy { $0.hasSuffix(".png") })
        #expect(result.dataset.sourcePaths?.first == root + "/MT_a/Imgs/0.pgm")

        options.exclude = ["*.png", "deeper"]
        #expect(try Dataset.importFolder(root, options: options).dataset.count == 6)
        options.exclude = ["Imgs"]
        #expect(throws: DatasetError.invalid("\(root)/MT_a: class folder is empty (1 files and folders in it left out by --exclude)")) {
            try Dataset.importFolder(root, options: options)
        }
    }

    /// A label file separated by spaces whose third column is no annotator (`images/cell0001.png  1.0
    /// mono`, as NumPy writes them): refused until the columns are named, then read; tab- and
    /// semicolon-separated files too.
    @Test func labelFilesSeparatedBySpacesTabsOrSemicolons() throws {
        let root = folder()
        try FileManager.default.createDirectory(atPath: root + "/images", withIntermediateDirectories: true)
        for i in 0..<4 { try gray("\(root)/images/cell\(i).pgm", shade: UInt8(10 * i)) }
        let file = root + "/labels.csv"
        try "images/cell0.pgm  1.0  mono\nimages/cell1.pgm  0.3333333333333333  poly\r\n\nimages/cell2.pgm  0.0  mono\nimages/cell3.pgm 1.0 poly\n"
            .write(toFile: file, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(file) line 1: 3 fields separated by spaces and no header row naming them; say what each column "
                                             + "is with --columns, e.g. --columns path,label,- (path, label, annotator, split, confidence; - leaves a column out)")) {
            try Dataset.importCSV(file, options: eightPixels)
        }
        var options = eightPixels
        options.labelColumns = ["path", "label", "-"]
        let graded = try Dataset.importCSV(file, options: options).dataset
        #expect(graded.classNames == ["0.0", "0.3333333333333333", "1.0"])
        let labelOf = Dictionary(uniqueKeysWithValues: zip(try #require(graded.sourcePaths), graded.delivered.map { graded.classNames[Int($0)] }))
        #expect(labelOf == [root + "/images/cell0.pgm": "1.0", root + "/images/cell1.pgm": "0.3333333333333333",
                            root + "/images/cell2.pgm": "0.0", root + "/images/cell3.pgm": "1.0"])
        #expect(graded.annotations.isEmpty, "the third column was left out, not read as annotators")

        try "path\tlabel\nimages/cell0.pgm\tcrack\nimages/cell1.pgm\tok\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Dataset.importCSV(file, options: eightPixels).dataset.classNames == ["crack", "ok"])
        try "path label type\nimages/cell0.pgm crack mono\nimages/cell1.pgm ok poly\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Dataset.importCSV(file, options: options).dataset.classNames == ["crack", "ok"], "--columns replaces a header it cannot read")
        try "images/cell0.pgm;crack\nimages/cell1.pgm;ok\nimages/cell2.pgm;ok\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Dataset.importCSV(file, options: eightPixels).dataset.count == 3)
        options.labelColumns = ["path", "grade"]
        #expect(throws: DatasetError.invalid("--columns: column 'grade' is unknown or repeated; the columns are path, label, annotator, split, "
                                             + "confidence (or probability; path and label required; - leaves a column out)")) {
            try Dataset.importCSV(file, options: options)
        }
    }

    /// A competition's `train/` and `val/` folders, its test set kept back: the file it imports to
    /// cannot be scored (a test split of none would read 0% for every model), says so with the
    /// import that fixes it, and `heldOut` draws that test split from training, class by class.
    @Test func trainAndValidationFoldersWithTheTestSetKeptBack() throws {
        let root = folder()
        for (split, counts) in [("train", [("i", 10), ("ii", 5), ("iii", 1)]), ("val", [("i", 2), ("ii", 2), ("iii", 2)])] {
            for (name, count) in counts {
                try FileManager.default.createDirectory(atPath: "\(root)/\(split)/\(name)", withIntermediateDirectories: true)
                for i in 0..<count { try gray("\(root)/\(split)/\(name)/\(i).pgm", shade: UInt8(10 * i)) }
            }
        }
        var options = eightPixels
        let kept = try Dataset.importFolder(root, options: options).dataset
        #expect(kept.unscorableReason(file: "roman.h5") == "roman.h5 has no test split (train 16, val 6, test 0), and results are scored on the "
                + "test split; import it again with one: flywheel data import SOURCE --out FILE.h5 --hold-out test=0.2 (a fifth of each "
                + "class's training images; the source's splits kept)")

        options.heldOut = [.test: 0.2]
        let data = try Dataset.importFolder(root, options: options).dataset
        #expect(data.unscorableReason(file: "roman.h5") == nil)
        let test = { (label: Int32) -> Int in data.indices(in: .test).filter { data.delivered[$0] == label }.count }
        #expect([test(0), test(1), test(2)] == [Int]([2, 1, 0]), "a fifth of 10 and of 5, rounded, at least one; a class's only image stays in training")
        #expect(data.indices(in: .validation) == kept.indices(in: .validation), "the source's validation split untouched")
        #expect(data.indices(in: .train).count == 13)
        #expect(data.provenance["held_out"] == "test=0.2 (3 images) of each class's training images, seed 1")
        options.seed = 2
        #expect(try Dataset.importFolder(root, options: options).dataset.splits != data.splits, "the draw follows the seed")

        options.heldOut = [.validation: 0.2]
        #expect(throws: DatasetError.invalid("--hold-out val: folder:\(root) gives a val split already (6 images); hold out only splits it does not give")) {
            try Dataset.importFolder(root, options: options)
        }
        options.heldOut = [.test: 0.2]
        options.verified = [.test]
        #expect(throws: DatasetError.invalid("--hold-out test with --verified test: the held-out images come from the training split, "
                                             + "whose labels nobody checked")) {
            try Dataset.importFolder(root, options: options)
        }
        var flat = eightPixels
        flat.heldOut = [.test: 0.2]
        #expect(throws: DatasetError.invalid("folder:\(root)/train: --hold-out draws the splits a source's split folders or split column do not "
                                             + "give; this source gives none, so --split draws them all")) {
            try Dataset.importFolder(root + "/train", options: flat)
        }
    }

    /// Three annotators (by name) on three images; one image listed once.
    private func annotatedCSV(_ root: String) throws -> String {
        for (name, shade) in [("x", 1), ("y", 2), ("z", 3), ("w", 4)] as [(String, UInt8)] { try gray("\(root)/\(name).pgm", shade: shade) }
        let csv = root + "/labels.csv"
        try """
            path,annotator,label,confidence
            x.pgm,ann,scratch,1
            x.pgm,bob,scratch,0.5
            x.pgm,cyd,crazing,1
            y.pgm,ann,crazing,0.2
            y.pgm,bob,crazing,0.6
            y.pgm,cyd,crazing,
            z.pgm,ann,scratch,
            z.pgm,bob,crazing,
            z.pgm,cyd,crazing,
            w.pgm,bob,scratch,0.9

            """.write(toFile: csv, atomically: true, encoding: .utf8)
        return csv
    }

    @Test func severalAnnotatorsPerImageAreSettledAndEveryAnnotationKept() throws {
        let root = folder()
        let data = try Dataset.importCSV(try annotatedCSV(root), options: eightPixels).dataset
        #expect(data.count == 4, "one sample per image")
        #expect(data.classNames == ["crazing", "scratch"])
        #expect(data.delivered == [1, 0, 0, 1])
        #expect(data.annotations.count == 10)
        #expect(data.annotators == [-1, -1, -1, 1], "one annotator is named only where an image has one")
        let agreement = try #require(data.agreement)
        #expect(agreement[0] == 2 / 3 && agreement[1] == 1 && agreement[2] == 2 / 3 && agreement[3].isNaN)
        let confidence = try #require(data.labelConfidence)
        #expect(confidence[0] == 0.75 && abs(confidence[1] - 0.4) < 1e-6 && confidence[2].isNaN && confidence[3] == 0.9,
                "the mean over the rows that gave the settled label")
        #expect(data.provenance["annotator_names"] == "ann,bob,cyd" && data.provenance["consensus"] == "majority")

        let path = root + "/team.h5"
        try data.save(to: path)
        let loaded = try Dataset.load(from: path)
        #expect(loaded.annotations == data.annotations && loaded.delivered == data.delivered)
        #expect(loaded.agreement.map { $0.map(\.bitPattern) } == data.agreement.map { $0.map(\.bitPattern) }, "agreement survives the file")
        #expect(loaded.labelConfidence.map { $0.map(\.bitPattern) } == data.labelConfidence.map { $0.map(\.bitPattern) }, "confidence survives the file")
        #expect(loaded.subset([3, 0]).annotations.map(\.sample) == [1, 1, 1, 0], "a subset renumbers the annotations")
        let summary = DatasetSummary(loaded).report(title: "team")
        #expect(summary.contains("graded labels: confidence given for 3 of 4 images"), "\(summary)")
        #expect(summary.contains("annotations: 10 on 4 images; 3 images with several, 1 of them unanimous"), "\(summary)")
        #expect(summary.contains("annotator bob: 4 annotations, 100.0% agree with the settled label"), "\(summary)")
    }

    @Test func importConsensusIsTheCurationLibrarys() throws {
        let root = folder()
        var options = eightPixels
        for method in ConsensusMethod.allCases {
            options.consensus = method
            let data = try Dataset.importCSV(try annotatedCSV(root), options: options).dataset
            // The CSV's rows as annotations, built here from the text: images in order x, y, z, w; ann, bob, cyd = 0, 1, 2; crazing 0.
            let rows: [(Int, Int, Int)] = [(0, 0, 1), (0, 1, 1), (0, 2, 0), (1, 0, 0), (1, 1, 0), (1, 2, 0), (2, 0, 1), (2, 1, 0), (2, 2, 0), (3, 1, 1)]
            let expected = try method.consensus(rows.map { Annotation(sample: $0.0, annotator: $0.1, label: $0.2) },
                                                samples: 4, annotators: 3, classes: 2)
            #expect(data.delivered.map(Int.init) == expected.labels, "\(method)")
            #expect(data.provenance["consensus"] == method.rawValue)
        }
    }

    @Test(arguments: [
        ("path,annotator,label\nx.pgm,ann,\n", "line 2: the label is empty; every row needs one"),
        ("path,label,confidence\nx.pgm,scratch,1.5\n", "line 2: confidence '1.5' is not a number in [0, 1]"),
        ("path,label,probability\nx.pgm,scratch,high\n", "line 2: confidence 'high' is not a number in [0, 1]"),
        ("path,annotator,label\nx.pgm,ann,scratch\ny.pgm,ann,scratch\nx.pgm,ann,crazing\n",
         "line 4: annotator ann labels ROOT/x.pgm again (first on line 2); one row per image and annotator"),
        ("path,label\nx.pgm,scratch\nx.pgm,crazing\n",
         "line 3: ROOT/x.pgm is listed again (first on line 2); several labels per image need an annotator column"),
        ("path,annotator,label,split\nx.pgm,ann,scratch,train\nx.pgm,bob,scratch,test\n",
         "line 3: ROOT/x.pgm is in split test here but train on line 2"),
        ("path,label,split\nx.pgm,scratch,holdout\n", "line 2: unknown split 'holdout'; expected train, val, test or pool"),
    ])
    func aBadRowIsNamedByLine(csvText: String, message: String) throws {
        let root = folder()
        try gray(root + "/x.pgm", shade: 1)
        try gray(root + "/y.pgm", shade: 2)
        let csv = root + "/labels.csv"
        try csvText.write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) " + message.replacingOccurrences(of: "ROOT", with: root))) {
            try Dataset.importCSV(csv, options: eightPixels)
        }
    }

    @Test func confidenceWeightsTrainingWhereAsked() throws {
        let root = folder()
        let data = try Dataset.importCSV(try annotatedCSV(root), options: eightPixels).dataset
        var training = TrainingConfig()
        #expect(try data.trainingImages([0, 1, 2, 3], for: training).weights == nil)
        training.sampleWeights = .confidence
        let weights = try #require(try data.trainingImages([0, 1, 2, 3], for: training).weights)
        #expect(zip(weights, [0.75, 0.4, 1, 0.9] as [Float]).allSatisfy { abs($0 - $1) < 1e-6 }, "1 where an image has none: \(weights)")
        var plain = data
        plain.labelConfidence = nil
        #expect(throws: DatasetError.self) { try plain.trainingImages([0], for: training) }
    }
}
