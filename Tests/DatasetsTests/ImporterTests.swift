import Foundation
import Testing
@testable import Datasets

/// Importers: every format round-trips, the real data imports completely, bad input is named.
@Suite struct ImporterTests {
    /// The team's shared folder: $FLYWHEEL_SHARED, or `shared/` beside the repository (as CI lays it out).
    private let shared = ProcessInfo.processInfo.environment["FLYWHEEL_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

    private func folder() -> String {
        let path = NSTemporaryDirectory() + "flywheel-import-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func write(_ bytes: [UInt8]?, _ path: String) throws {
        let bytes = try #require(bytes)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    @Test(arguments: ["bmp", "png", "pgm", "jpg"])
    func aGeneratedSetRoundTripsThroughImageFiles(format: String) throws {
        let original = try SteelDefects().generate(imageSize: 32, perClass: SplitCounts(train: 2, validation: 0, test: 1), seed: 4)
        let root = folder()
        for i in 0..<original.count {
            let classFolder = root + "/" + original.classNames[Int(original.gold[i])]
            try FileManager.default.createDirectory(atPath: classFolder, withIntermediateDirectories: true)
            let image = DecodedImage(width: 32, height: 32, channels: 1, pixels: Array(original.pixels[(i * 1024)..<((i + 1) * 1024)]))
            let encoded: [UInt8]? = switch format {
            case "bmp": image.encodedBMP()
            case "png": image.encodedPNG()
            case "pgm": image.encodedNetpbm()
            default: image.encodedJPEG(quality: 95)
            }
            try write(encoded, String(format: "%@/%03d.%@", classFolder, i, format))
        }
        var options = ImportOptions()
        options.imageSize = 32
        options.labelsAreGold = true
        let imported = try Dataset.importFolder(root, options: options).dataset
        #expect(imported.classNames == original.classNames.sorted())
        #expect(imported.count == original.count)
        // Files are read class by class in name order: compare each class's images in that order.
        for name in original.classNames {
            let before = (0..<original.count).filter { original.classNames[Int(original.gold[$0])] == name }
            let after = (0..<imported.count).filter { imported.classNames[Int(imported.gold[$0])] == name }
            for (b, a) in zip(before, after) {
                let x = original.pixels[(b * 1024)..<((b + 1) * 1024)], y = imported.pixels[(a * 1024)..<((a + 1) * 1024)]
                let worst = zip(x, y).map { abs(Int($0) - Int($1)) }.max() ?? 0
                #expect(format == "jpg" ? worst <= 40 : worst == 0, "\(format): max pixel difference \(worst)")
            }
        }
    }

    @Test(arguments: ["bmp", "ppm", "png"])
    func rgbImagesRoundTripExactly(format: String) throws {
        var g = UInt32(7)
        let pixels = (0..<(13 * 9 * 3)).map { _ -> UInt8 in g = g &* 1_103_515_245 &+ 12345; return UInt8(truncatingIfNeeded: g >> 16) }
        let image = DecodedImage(width: 13, height: 9, channels: 3, pixels: pixels)   // odd width: BMP rows are padded
        let path = folder() + "/rgb." + format
        try write(format == "bmp" ? image.encodedBMP() : format == "ppm" ? image.encodedNetpbm() : image.encodedPNG(), path)
        #expect(try DecodedImage.read(path) == image)
    }

    @Test func rgbImagesBecomeGrayByLumaAndResizeByAreaAverage() {
        let rgb = DecodedImage(width: 2, height: 2, channels: 3, pixels: [255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 255])
        let gray = rgb.converted(toChannels: 1)
        #expect(gray.pixels == [76, 150, 29, 255])
        #expect(gray.resized(to: 1).pixels == [128])   // (76 + 150 + 29 + 255) / 4 = 127.5, rounded
        #expect(gray.resized(to: 4).width == 4)
    }

    @Test func theRealNEUDataImportsCompletely() throws {
        var options = ImportOptions()
        options.imageSize = 32
        let result = try Dataset.importFolder(shared + "/data/neu-det", options: options)
        #expect(result.skipped.isEmpty)
        #expect(result.dataset.classNames == ["crazing", "inclusion", "patches", "pitted_surface", "rolled-in_scale", "scratches"])
        let counts = DatasetSummary(result.dataset).counts
        for k in 0..<6 { #expect(Split.allCases.reduce(0) { $0 + counts[$1]![k] } == 300) }
        #expect(counts[.train] == Array(repeating: 180, count: 6))
        #expect(counts[.test] == Array(repeating: 60, count: 6))
        #expect(result.dataset.channels == 1)   // ImportOptions converts to gray by default
        // Each image keeps its source file, through a subset and a save and load.
        let sources = try #require(result.dataset.sourcePaths)
        #expect(sources.count == 1_800 && sources.allSatisfy { $0.hasPrefix("/") && $0.hasSuffix(".jpg") && FileManager.default.fileExists(atPath: $0) })
        let subset = result.dataset.subset([5, 3])
        #expect(subset.sourcePaths == [sources[5], sources[3]])
        let path = folder() + "/neu.h5"
        try subset.save(to: path)
        #expect(try Dataset.load(from: path).sourcePaths == subset.sourcePaths)
    }

    @Test func badImagesAreNamedOrSkippedWhenAsked() throws {
        let root = folder()
        for name in ["a", "b"] { try FileManager.default.createDirectory(atPath: root + "/" + name, withIntermediateDirectories: true) }
        let good = DecodedImage(width: 8, height: 8, channels: 1, pixels: Array(repeating: 128, count: 64))
        try write(good.encodedPNG(), root + "/a/good.png")
        try write(good.encodedPNG(), root + "/b/good.png")
        let png = try #require(good.encodedPNG())
        try write(Array(png.prefix(png.count / 2)), root + "/b/truncated.png")
        #expect(throws: DatasetError.self) { try Dataset.importFolder(root) }
        do { _ = try Dataset.importFolder(root) } catch { #expect("\(error)".hasPrefix(root + "/b/truncated.png: PNG:")) }
        var options = ImportOptions()
        options.skipBad = true
        let result = try Dataset.importFolder(root, options: options)
        #expect(result.dataset.count == 2)
        #expect(result.skipped.count == 1 && result.skipped[0].hasPrefix(root + "/b/truncated.png"))

        try write(Array("not an image".utf8), root + "/a/notes.txt")
        #expect(throws: DatasetError.invalid("\(root)/a/notes.txt: unsupported image format '.txt'; expected one of bmp, jpeg, jpg, pgm, png, ppm, tif, tiff; "
                                             + "leave such files out with --exclude '*.txt'")) {
            try Dataset.importFolder(root)
        }
        try write(Array("BM garbage".utf8), root + "/a/broken.bmp")
        try FileManager.default.removeItem(atPath: root + "/a/notes.txt")
        #expect(throws: DatasetError.invalid("\(root)/a/broken.bmp: not a BMP file (no 'BM' header)")) { try Dataset.importFolder(root) }
        try FileManager.default.createDirectory(atPath: root + "/c", withIntermediateDirectories: true)
        #expect(throws: DatasetError.invalid("\(root)/c: class folder is empty")) { try Dataset.importFolder(root) }
    }

    @Test func csvRowsAreCheckedLineByLine() throws {
        let root = folder()
        let image = DecodedImage(width: 8, height: 8, channels: 1, pixels: Array(repeating: 50, count: 64))
        try write(image.encodedNetpbm(), root + "/x.pgm")
        let csv = root + "/labels.csv"
        try "path,label,annotator\nx.pgm,scratch,0\nx.pgm,crazing,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        var options = ImportOptions()
        options.imageSize = 8
        options.fractions = [.train: 1]
        let result = try Dataset.importCSV(csv, options: options)
        #expect(result.dataset.classNames == ["crazing", "scratch"])
        #expect(result.dataset.delivered == [0], "one image, two annotators: the tie goes to the lowest class")
        #expect(result.dataset.annotations.map(\.label) == [1, 0] && result.dataset.agreement == [0.5])

        try "x.pgm,scratch\nmissing.png,scratch\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 2: image \(root)/missing.png does not exist")) { try Dataset.importCSV(csv) }
        try "x.pgm,scratch\nx.pgm,dent\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 2: unknown class 'dent'; expected one of crazing, scratch")) {
            try Dataset.importCSV(csv, classNames: ["crazing", "scratch"])
        }
        try "x.pgm\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 1: expected path,label[,annotator], got 1 fields")) { try Dataset.importCSV(csv) }
    }

    /// An 8×8 gray image file of one shade, at `path`.
    private func image(_ path: String, shade: UInt8) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try write(DecodedImage(width: 8, height: 8, channels: 1, pixels: Array(repeating: shade, count: 64)).encodedNetpbm(), path)
    }

    @Test func splitFoldersAreKeptAsGivenAndVerifiedSplitsBecomeGold() throws {
        let root = folder()
        for (split, count) in [("train", 3), ("val", 1), ("test", 2)] {
            for c in ["crazing", "scratch"] { for i in 0..<count { try image("\(root)/\(split)/\(c)/\(i).pgm", shade: UInt8(10 * i)) } }
        }
        var options = ImportOptions()
        options.imageSize = 8
        options.verified = [.test]
        let data = try Dataset.importFolder(root, options: options).dataset
        #expect(data.classNames == ["crazing", "scratch"])
        #expect(data.indices(in: .train).count == 6 && data.indices(in: .validation).count == 2 && data.indices(in: .test).count == 4)
        #expect(data.indices(in: .test).allSatisfy { data.gold[$0] == data.delivered[$0] }, "the verified split is gold")
        #expect(data.indices(in: .train).allSatisfy { data.gold[$0] == -1 }, "the rest is as delivered")
        #expect(data.provenance["verified_splits"] == "test")

        try image("\(root)/extra/crazing/0.pgm", shade: 1)
        #expect(throws: DatasetError.invalid("\(root)/extra: not a split folder, beside the split folders test, train, val; a split layout has "
                                             + "only train, val (or validation), test and pool (leave it out with --exclude extra, or use --layout classes)")) {
            try Dataset.importFolder(root, options: options)
        }
        var withoutExtra = options
        withoutExtra.exclude = ["extra"]
        #expect(try Dataset.importFolder(root, options: withoutExtra).excluded == [root + "/extra"], "a folder beside the splits, such as a label book, left out")
        var unsplit = ImportOptions()
        unsplit.verified = [.test]
        let flat = folder()
        try image(flat + "/crazing/0.pgm", shade: 1)
        #expect(throws: DatasetError.invalid("folder:\(flat): --verified names splits, but the source gives none (use split folders or a split column)")) {
            try Dataset.importFolder(flat, options: unsplit)
        }
    }

    @Test func aSplitColumnIsKeptAsGivenAndCheckedLineByLine() throws {
        let root = folder()
        try image(root + "/x.pgm", shade: 5)
        try image(root + "/y.pgm", shade: 9)
        let csv = root + "/labels.csv"
        try "label,split,path\nscratch,train,x.pgm\ncrazing,test,y.pgm\n".write(toFile: csv, atomically: true, encoding: .utf8)
        var options = ImportOptions()
        options.imageSize = 8
        options.verified = [.test]
        let data = try Dataset.importCSV(csv, options: options).dataset
        #expect(data.splits == [.train, .test])
        #expect(data.gold == [-1, 0])

        options.verified = []
        try "path_to_image,label\nx.pgm,scratch\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try Dataset.importCSV(csv, options: options).dataset.count == 1, "a first column named path… is the path, as before")
        try "path,label,split\nx.pgm,scratch,train\ny.pgm,crazing,holdout\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 3: unknown split 'holdout'; expected train, val, test or pool")) { try Dataset.importCSV(csv) }
        try "path,label,grade\nx.pgm,scratch,1\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 1: column 'grade' is unknown or repeated; the columns are path, label, annotator, split, "
                                             + "confidence (or probability; path and label required; - leaves a column out)")) { try Dataset.importCSV(csv) }
        try "path,label,split\nx.pgm,scratch\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 2: expected path,label,split, got 2 fields")) { try Dataset.importCSV(csv) }
    }
}
