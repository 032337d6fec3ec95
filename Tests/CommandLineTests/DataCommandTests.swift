import Foundation
import TestSupport
import Testing

/// The `flywheel data` and `flywheel train` commands end to end, through the built executable.
@Suite struct DataCommandTests {
    private func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runProcess(builtExecutable("flywheel"), arguments)
    }

    @Test func generateInspectAndTrainEndToEnd() throws {
        let folder = NSTemporaryDirectory() + "flywheel-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let data = folder + "/solar.h5"
        let generated = try run(["data", "generate", "solar-cells", "--out", data, "--size", "32", "--per-class", "train=40,val=10,test=20"])
        #expect(generated.status == 0, "\(generated.output)")
        #expect(generated.output.contains("wrote \(data): 280 images of 32×32, 4 classes"))
        let again = try run(["data", "generate", "solar-cells", "--out", data])
        #expect(again.status != 0)
        #expect(again.output.contains("\(data) already exists"))

        let inspected = try run(["data", "inspect", data])
        #expect(inspected.status == 0)
        #expect(inspected.output.contains("crack                   40     10     20      0"), "\(inspected.output)")

        let trial = folder + "/trial.h5"
        let trained = try run(["train", data, "--epochs", "3", "--seed", "2", "--quiet", "--out", trial])
        #expect(trained.status == 0, "\(trained.output)")
        #expect(trained.output.contains("test accuracy"))
        #expect(FileManager.default.fileExists(atPath: trial))
        let unknown = try run(["train", data, "--model", "vgg-16"])
        #expect(unknown.status == 64)
        #expect(unknown.output.contains("Please provide one of 'cnn-small', 'cnn-wide', 'cnn-deep' or 'resnet-8'"), "\(unknown.output)")
    }

    @Test func aBadImportNamesTheFileAndWritesNothing() throws {
        let folder = NSTemporaryDirectory() + "flywheel-cli-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder + "/images/a", withIntermediateDirectories: true)
        try Data("P5\n4 4\n255\n".utf8 + [UInt8](repeating: 7, count: 5)).write(to: URL(fileURLWithPath: folder + "/images/a/short.pgm"))
        let out = folder + "/out.h5"
        let result = try run(["data", "import", folder + "/images", "--out", out])
        #expect(result.status != 0)
        #expect(result.output.contains("\(folder)/images/a/short.pgm: PGM/PPM is truncated: 5 of 16 pixel bytes"), "\(result.output)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
