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
