import Engine
import Foundation
import Testing
@testable import Store

extension StoreSuite {
/// The results schema: records, weights, merging, bad files.
@Suite struct TrialFileTests {
    @Test func aTrialRecordRoundTripsCompletely() throws {
        let folder = temporaryFolder()
        let weights = [WeightTensor(layer: "00_conv2d", kind: "conv2d", name: "kernel", shape: [2, 1, 3, 3], values: (0..<18).map(Float.init)),
                       WeightTensor(layer: "00_conv2d", kind: "conv2d", name: "bias", shape: [2], values: [0.5, -0.5])]
        let record = sampleRecord(weights: weights)
        let path = try TrialFile.write(record, to: folder)
        #expect(path == folder + "/t0001.h5")
        var read = try TrialFile.read(path)
        read.weights.sort { $0.name > $1.name }
        #expect(read == record)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder) == ["t0001.h5"])
    }

    @Test func savedWeightsPredictBitForBitIdentically() throws {
        BLASThreads.set(1)
        let spec = ModelSpec(architecture: .resnet8, imageSize: 16, classes: 3)
        let trained = try spec.build(seed: 1)
        let images = Tensor(zeros: [8, 1, 16, 16])
        for i in 0..<images.count { images[flat: i] = Float((i * 7919) % 101) / 50 - 1 }
        let data = try LabeledImages(images: images, labels: [0, 1, 2, 0, 1, 2, 0, 1], classes: 3)
        var config = TrainingConfig()
        config.epochs = 2; config.batchSize = 4
        _ = try Trainer(model: trained, config: config).fit(data)
        let path = try TrialFile.write(sampleRecord(weights: trained.weightTensors), to: temporaryFolder())

        let restored = try spec.build(seed: 99)
        try restored.load(try TrialFile.read(path).weights)
        #expect(evaluate(model: restored, on: data).probabilities == evaluate(model: trained, on: data).probabilities)
    }

    @Test func weightsOfAnotherArchitectureAreRefusedByName() throws {
        let small = try ModelSpec(architecture: .cnnSmall, imageSize: 16, classes: 3).build(seed: 1)
        let wide = try ModelSpec(architecture: .cnnWide, imageSize: 16, classes: 3).build(seed: 1)
        #expect(throws: WeightLoadingError.self) { try wide.load(small.weightTensors) }
        do { try wide.load(small.weightTensors) } catch {
            #expect("\(error)" == "cannot load weights: 00_conv2d_relu_maxpool/kernel: saved conv2d_relu_maxpool [16, 1, 3, 3], model has conv2d_relu_maxpool [32, 1, 3, 3]")
        }
    }

    @Test func badFilesAreReportedByName() throws {
        let folder = temporaryFolder()
        let good = try TrialFile.write(sampleRecord(id: "good"), to: folder)
        let truncated = try TrialFile.write(sampleRecord(id: "truncated"), to: folder)
        let size = try FileManager.default.attributesOfItem(atPath: truncated)[.size] as! Int
        #expect(truncate(truncated, off_t(size / 2)) == 0)
        let foreign = folder + "/foreign.h5"
        try "this is not HDF5".write(toFile: foreign, atomically: true, encoding: .utf8)
        var future = sampleRecord(id: "future")
        future.schemaVersion = TrialRecord.currentSchemaVersion + 1
        let newer = try TrialFile.write(future, to: folder)

        #expect(throws: HDF5Error(file: foreign, object: "/", operation: "open file: not an HDF5 file (or truncated)")) { try TrialFile.read(foreign) }
        let truncatedError = #expect(throws: HDF5Error.self) { try TrialFile.read(truncated) }
        #expect(truncatedError?.file == truncated)
        #expect(truncatedError?.library.contains("truncated file") == true, "\(String(describing: truncatedError))")
        let newerError = #expect(throws: HDF5Error.self) { try TrialFile.read(newer) }
        #expect(newerError?.file == newer)
        #expect(newerError?.operation == "schema version 2 is newer than this Flywheel reads (1); update Flywheel")

        let scan = try TrialDirectory(path: folder).scan()
        #expect(scan.records.map(\.trialID) == ["good"])
        #expect(Set(scan.problems.map(\.file)) == [foreign, newer, truncated])
        #expect(try TrialFile.read(good).trialID == "good")
    }

    @Test func leftoverTemporariesOfDeadWritersAreRemovedLiveOnesKept() throws {
        let folder = temporaryFolder()
        let dead = folder + "/.t9.h5.tmp-999999999", live = folder + "/.t8.h5.tmp-\(getpid())"
        _ = FileManager.default.createFile(atPath: dead, contents: Data([1, 2, 3]))
        _ = FileManager.default.createFile(atPath: live, contents: Data([1, 2, 3]))
        let scan = try TrialDirectory(path: folder).scan()
        #expect(scan.removedTemporaries == [dead])
        #expect(scan.problems.isEmpty)
        #expect(FileManager.default.fileExists(atPath: live))
    }

    @Test func mergingTheSameTrialsTwiceGivesTheSameBytes() throws {
        let folder = temporaryFolder()
        let records = [sampleRecord(id: "b", seed: 2, accuracy: 0.7), sampleRecord(id: "a", seed: 1, accuracy: 0.9)]
        try MergedResults.write(records, to: folder + "/one.h5")
        try MergedResults.write(records.reversed(), to: folder + "/two.h5")
        let one = try Data(contentsOf: URL(fileURLWithPath: folder + "/one.h5"))
        let two = try Data(contentsOf: URL(fileURLWithPath: folder + "/two.h5"))
        #expect(one == two)
        let summary = try HDF5File.open(folder + "/one.h5").root.group("summary")
        #expect(try summary.readStrings("trial_id") == ["a", "b"])
        #expect(try summary.read("accuracy", as: Double.self).values == [0.9, 0.7])
        #expect(try HDF5File.open(folder + "/one.h5").root.group("trials").childNames() == ["a", "b"])
    }

    @Test func aFailedWriteLeavesNothingBehind() throws {
        let folder = temporaryFolder()
        #expect(throws: HDF5Error.self) { try TrialFile.write(sampleRecord(), to: folder + "/no-such-folder") }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).isEmpty)
    }
}
}
