import Curation
import Datasets
import Engine
import Foundation
import Testing

/// The duplicate detector on two kinds of data: the built-in scenarios (procedural, one of them
/// a grid of near-identical cells) and the real NEU steel images (textures, many nearly alike
/// under one illumination gradient, one published exact duplicate pair).
@Suite struct DeduplicationTests {
    /// The team's shared folder: $FLYWHEEL_SHARED, or `shared/` beside the repository (as CI lays it out).
    private let shared = ProcessInfo.processInfo.environment["FLYWHEEL_SHARED"]
        ?? URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared").path

    private func neu() throws -> Dataset {
        var options = ImportOptions()
        options.imageSize = 32
        return try Dataset.importFolder(shared + "/data/neu-det", options: options).dataset
    }

    /// Ways a copy of an image comes back: byte for byte, brighter, with more contrast, re-encoded
    /// (every pixel off by at most one level).
    enum Copy: CaseIterable { case exact, brighter, moreContrast, reencoded }

    /// Overwrites sample `target` with a copy of sample `source`.
    private func inject(_ copy: Copy, of source: Int, into target: Int, _ data: inout Dataset) {
        let size = data.imageSize
        let original = Array(data.pixels[(source * size)..<((source + 1) * size)])
        let mean = original.reduce(0) { $0 + Int($1) } / size
        var g = SplitMix64(seed: UInt64(target))
        for (p, value) in original.enumerated() {
            let v = Int(value)
            let changed: Int
            switch copy {
            case .exact: changed = v
            case .brighter: changed = v + 12
            case .moreContrast: changed = mean + (v - mean) * 6 / 5
            case .reencoded: changed = v + Int(g.next() % 3) - 1
            }
            data.pixels[target * size + p] = UInt8(clamping: changed)
        }
    }

    @Test(arguments: Scenarios.all.map(\.name))
    func dedupRemovesOnlyTheInjectedCopiesInEveryScenario(_ name: String) throws {
        var data = try Scenarios.named(name).generate(imageSize: 32, perClass: SplitCounts(train: 40, validation: 10, test: 20), seed: 5)
        let train = data.indices(in: .train), test = data.indices(in: .test)
        var copies: Set<Int> = []
        for (k, copy) in Copy.allCases.enumerated() {
            inject(copy, of: train[10 * k], into: train[10 * k + 5], &data)
            copies.insert(train[10 * k + 5])
        }
        inject(.reencoded, of: test[3], into: train[77], &data)
        let report = DuplicateReport(data)
        #expect(report.redundant == copies, "typical distance \(report.search.typicalDistance), radius \(report.search.radius)")
        #expect(report.withinTraining.filter(\.exact).map(\.second) == [train[5]])
        #expect(report.trainTestLeaks.map { [$0.first, $0.second] } == [[train[77], test[3]]])
        #expect(report.trainValidationLeaks.isEmpty)
    }

    @Test func chainsOfCopiesKeepOneImage() throws {
        var data = try Scenarios.named("steel-defects").generate(imageSize: 32, perClass: SplitCounts(train: 10, validation: 0, test: 0), seed: 2)
        let train = data.indices(in: .train)
        inject(.exact, of: train[0], into: train[4], &data)
        inject(.brighter, of: train[4], into: train[9], &data)
        #expect(DuplicateReport(data).redundant == [train[4], train[9]])
    }

    @Test func flatImagesAreDuplicatesOnlyWhenEqual() throws {
        var data = try Scenarios.named("solar-cells").generate(imageSize: 16, perClass: SplitCounts(train: 10, validation: 0, test: 0), seed: 3)
        let size = data.imageSize
        for (sample, level) in [(0, 40), (1, 200), (2, 200)] as [(Int, UInt8)] {
            data.pixels.replaceSubrange((sample * size)..<((sample + 1) * size), with: repeatElement(level, count: size))
        }
        let pairs = DuplicateReport(data).withinTraining
        #expect(pairs.map { [$0.first, $0.second] } == [[1, 2]])
        #expect(pairs.first?.exact == true)
    }

    @Test func theNEUImagesAsPublishedHoldOnlyTheirOneKnownCopy() throws {
        let data = try neu()
        let search = DuplicateDetector().search(Array(0..<data.count), in: data)
        // patches_101 and patches_105 are the same file; the nearest distinct images (pitted
        // surfaces under the same illumination gradient) are about 0.2 × the typical distance apart.
        #expect(search.pairs.count == 1)
        let pair = try #require(search.pairs.first)
        #expect(pair.exact)
        #expect([pair.first, pair.second].map { data.classNames[Int(data.delivered[$0])] } == ["patches", "patches"])
        let distinct = search.nearestDistance.values.filter { $0 > 0 }.min()!
        #expect(distinct / search.typicalDistance > 0.15, "the closest distinct images stay well outside the radius")
    }

    @Test func leakageIntoTheNEUTestSplitIsReportedExactly() throws {
        var data = try neu()
        let train = data.indices(in: .train), test = data.indices(in: .test)
        var injected: [[Int]] = []
        for (k, copy) in Copy.allCases.enumerated() {
            inject(copy, of: train[100 * k + 7], into: test[20 * k + 3], &data)
            injected.append([train[100 * k + 7], test[20 * k + 3]])
        }
        let report = DuplicateReport(data)
        #expect(report.trainTestLeaks.map { [$0.first, $0.second] }.sorted { $0.lexicographicallyPrecedes($1) } == injected.sorted { $0.lexicographicallyPrecedes($1) })
    }

    @Test func whenNearlyAlikeNEUImagesDominateNoneIsCalledADuplicate() throws {
        let full = try neu()
        // Pitted surfaces (the most alike of the six classes) kept whole; the others cut to one in ten.
        let pitted = Int32(full.classNames.firstIndex(of: "pitted_surface")!)
        let kept = (0..<full.count).filter { full.delivered[$0] == pitted || $0 % 10 == 0 }
        let data = full.subset(kept)
        #expect(DuplicateReport(data).withinTraining.filter { !$0.exact }.isEmpty)
    }
}
