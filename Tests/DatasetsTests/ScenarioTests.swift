import Foundation
import Testing
@testable import Datasets

/// Built-in scenarios: deterministic, balanced, with ambiguity where classes are confusable.
@Suite struct ScenarioTests {
    @Test(arguments: Scenarios.all.map(\.name))
    func sameSeedSameBytesOtherSeedOtherBytes(name: String) throws {
        let scenario = try Scenarios.named(name)
        let counts = SplitCounts(train: 3, validation: 1, test: 2, pool: 1)
        let a = try scenario.generate(imageSize: 32, perClass: counts, seed: 5)
        #expect(a == (try scenario.generate(imageSize: 32, perClass: counts, seed: 5)))
        #expect(a.pixels != (try scenario.generate(imageSize: 32, perClass: counts, seed: 6)).pixels)
        #expect(a.count == 7 * scenario.classNames.count)
        #expect(a.indices(in: .test).count == 2 * scenario.classNames.count)
        #expect(a.delivered == a.gold)
        let confusable = Set(scenario.confusablePairs.flatMap { [$0.0, $0.1] })
        for i in 0..<a.count where !confusable.contains(Int(a.gold[i])) { #expect(a.ambiguity[i] == 0) }
        #expect(a.ambiguity.contains { $0 > 0 })
    }

    /// With stable splits a bigger training split keeps the test set's images (and its own start);
    /// the sequential draw of earlier experiments shifts them.
    @Test func stableSplitsKeepTheTestImagesWhenTheTrainingSplitGrows() throws {
        let steel = SteelDefects()
        let draw = { (train: Int, stable: Bool) in
            try steel.generate(imageSize: 16, perClass: SplitCounts(train: train, validation: 2, test: 3), seed: 9, stableSplits: stable)
        }
        let pixels = { (d: Dataset, split: Split) in d.indices(in: split).flatMap { i in d.pixels[(i * d.imageSize)..<((i + 1) * d.imageSize)] } }
        let small = try draw(4, true), large = try draw(8, true)
        #expect(pixels(small, .test) == pixels(large, .test) && pixels(small, .validation) == pixels(large, .validation))
        #expect(Array(pixels(large, .train).prefix(pixels(small, .train).count)) == pixels(small, .train))
        #expect(small.provenance["generator"] == "flywheel-scenarios-2")
        #expect(pixels(try draw(4, false), .test) != pixels(try draw(8, false), .test))
    }

    @Test func unknownScenarioListsTheKnownOnes() {
        #expect(throws: DatasetError.invalid("unknown scenario 'mnist'; known: steel-defects, solar-cells, surface-inspection")) {
            try Scenarios.named("mnist")
        }
    }

    @Test func aDatasetRoundTripsThroughHDF5() throws {
        let path = NSTemporaryDirectory() + "flywheel-dataset-\(UUID().uuidString).h5"
        defer { unlink(path) }
        let dataset = try SteelDefects().generate(imageSize: 24, perClass: SplitCounts(train: 2, validation: 1, test: 1), seed: 3)
        try dataset.save(to: path)
        #expect(try Dataset.load(from: path) == dataset)
    }

    @Test func engineInputIsScaledNCHWWithTheChosenLabels() throws {
        var dataset = try SolarCells().generate(imageSize: 16, perClass: SplitCounts(train: 1, validation: 0, test: 1), seed: 2)
        dataset.delivered[0] = 3
        let train = try dataset.labeledImages([0, 1])
        #expect(train.labels == [3, 1])
        #expect(try dataset.labeledImages([0], gold: true).labels == [0])
        #expect(train.images.shape == [2, 1, 16, 16])
        #expect(train.images[flat: 5] == Float(dataset.pixels[5]) / 127.5 - 1)
    }
}
