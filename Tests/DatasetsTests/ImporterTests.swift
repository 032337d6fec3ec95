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
        #expect(throws: DatasetError.invalid("\(root)/a/notes.txt: unsupported image format '.txt'; expected one of bmp, jpeg, jpg, pgm, png, ppm")) {
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
        #expect(result.dataset.delivered == [1, 0])
        #expect(result.dataset.annotators == [0, 1])

        try "x.pgm,scratch\nmissing.png,scratch\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 2: image \(root)/missing.png does not exist")) { try Dataset.importCSV(csv) }
        try "x.pgm,scratch\nx.pgm,dent\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 2: unknown class 'dent'; expected one of crazing, scratch")) {
            try Dataset.importCSV(csv, classNames: ["crazing", "scratch"])
        }
        try "x.pgm\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(throws: DatasetError.invalid("\(csv) line 1: expected path,label[,annotator], got 1 fields")) { try Dataset.importCSV(csv) }
    }
}
