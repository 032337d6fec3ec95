import Curation
import Datasets
import XCTest

final class DeduplicationTests: XCTestCase {
    func testFindsExactAndNearDuplicatesAndLeakage() throws {
        var data = try Scenarios.named("steel-defects").generate(imageSize: 32, perClass: SplitCounts(train: 4, validation: 1, test: 2), seed: 5)
        let train = data.indices(in: .train), test = data.indices(in: .test)
        let size = data.imageSize
        // Sample train[1] becomes an exact copy of train[0]; train[3] a slightly brighter copy of train[2];
        // train[5] a copy of test sample test[0] (leakage).
        data.pixels.replaceSubrange((train[1] * size)..<((train[1] + 1) * size), with: data.pixels[(train[0] * size)..<((train[0] + 1) * size)])
        for p in 0..<size { data.pixels[train[3] * size + p] = UInt8(min(255, Int(data.pixels[train[2] * size + p]) + 3)) }
        data.pixels.replaceSubrange((train[5] * size)..<((train[5] + 1) * size), with: data.pixels[(test[0] * size)..<((test[0] + 1) * size)])
        let report = DuplicateFinder(maxDistance: 4).find(in: data)
        let pairs = report.withinTraining.map { [$0.first, $0.second] }
        XCTAssertTrue(pairs.contains([train[0], train[1]]))
        XCTAssertTrue(pairs.contains([train[2], train[3]]))
        XCTAssertTrue(report.withinTraining.first { $0.first == train[0] && $0.second == train[1] }!.exact)
        XCTAssertFalse(report.withinTraining.first { $0.first == train[2] && $0.second == train[3] }!.exact)
        XCTAssertEqual(report.trainTestLeaks.map { [$0.first, $0.second] }, [[train[5], test[0]]])
        XCTAssertLessThanOrEqual(report.withinTraining.count, 4, "distinct images should rarely collide")
    }

    func testHashDistanceOfDifferentImagesIsLarge() throws {
        let data = try Scenarios.named("steel-defects").generate(imageSize: 32, perClass: SplitCounts(train: 10, validation: 0, test: 0), seed: 6)
        let hashes = (0..<data.count).map { PerceptualHash(of: data, sample: $0) }
        let distances = hashes.indices.flatMap { i in hashes.indices.filter { $0 > i }.map { hashes[i].distance(to: hashes[$0]) } }
        XCTAssertGreaterThan(Double(distances.reduce(0, +)) / Double(distances.count), 16)
    }
}
