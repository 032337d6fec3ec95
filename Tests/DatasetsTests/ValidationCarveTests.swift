import Testing
@testable import Datasets

/// Teams' data comes as train/ and test/ folders: a validation split carved from training, per class, per seed.
@Suite struct ValidationCarveTests {
    /// A steel draw with no validation split and a rare class (5 training images against 30).
    private func trainAndTestOnly() throws -> Dataset {
        var data = try SteelDefects().generate(imageSize: 16, perClass: SplitCounts(train: 30, validation: 0, test: 4), seed: 3)
        let rare = data.indices(in: .train).filter { data.gold[$0] == 0 }.dropFirst(5)
        for index in rare { data.splits[index] = .pool }
        return data
    }

    @Test func aFifthOfEachClassBecomesValidationDrawnFromTheSeed() throws {
        let data = try trainAndTestOnly()
        let carved = data.carvingValidation(fraction: 0.2, seed: 7)
        let count = { (d: Dataset, split: Split, label: Int32) in d.indices(in: split).filter { d.delivered[$0] == label }.count }
        #expect(count(carved, .validation, 1) == 6 && count(carved, .train, 1) == 24)
        #expect(count(carved, .validation, 0) == 1 && count(carved, .train, 0) == 4)   // the rare class keeps most of its images
        #expect(carved.indices(in: .test) == data.indices(in: .test))                 // the test split is untouched
        #expect(carved.splits == data.carvingValidation(fraction: 0.2, seed: 7).splits)
        #expect(carved.splits != data.carvingValidation(fraction: 0.2, seed: 8).splits)
        #expect(carved.provenance.values.contains { $0.hasPrefix("validation carved from train") })
    }

    @Test func aDatasetWithAValidationSplitIsLeftAsItIs() throws {
        let data = try SteelDefects().generate(imageSize: 16, perClass: SplitCounts(train: 10, validation: 2, test: 2), seed: 1)
        #expect(data.carvingValidation(fraction: 0.2, seed: 1).splits == data.splits)
        #expect(try trainAndTestOnly().carvingValidation(fraction: 0, seed: 1).indices(in: .validation).isEmpty)
    }
}
