import Curation
import Datasets
import Foundation
import Testing

/// A spot check: a random sample of the flags, and the share of them a reviewer found wrong.
@Suite struct SpotCheckTests {
    @Test func theSampleIsARandomSubsetOfTheFlagsInRandomOrder() {
        let flags = Array(stride(from: 7, to: 707, by: 7))   // 100 flags, ranked
        let sample = SpotCheck.sample(flags, seed: 1)
        #expect(sample.count == SpotCheck.defaultSize)
        #expect(Set(sample).count == sample.count && Set(sample).isSubset(of: Set(flags)))
        #expect(sample != Array(flags.prefix(sample.count)), "not the top of the ranking")
        #expect(sample != sample.sorted(), "in random order, not the ranking's")
        #expect(SpotCheck.sample(flags, seed: 1) == sample, "a pure function of its seed")
        #expect(SpotCheck.sample(flags, seed: 2) != sample)
        // Fewer flags than the sample: all of them.
        #expect(Set(SpotCheck.sample(Array(flags.prefix(12)), seed: 1)) == Set(flags.prefix(12)))
        // Over many draws every flag is as likely to be sampled: each rank's count within 5 standard deviations of 3,000.
        var counts = [Int](repeating: 0, count: 100)
        for seed in 0..<10_000 { for flag in SpotCheck.sample(Array(0..<100), seed: UInt64(seed)) { counts[flag] += 1 } }
        let sd = (10_000 * 0.3 * 0.7).squareRoot()
        #expect(counts.allSatisfy { abs(Double($0) - 3_000) < 5 * sd }, "\(counts)")
    }

    @Test func itCountsTheReviewedRowsAndTheChangedLabels() throws {
        let data = try Scenarios.named("surface-inspection").generate(imageSize: 16, perClass: SplitCounts(train: 6, validation: 1, test: 1), seed: 3)
        let folder = NSTemporaryDirectory() + "spot-check-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/spot-check.csv"
        let samples = Array(0..<10)
        try ReviewFile.write(samples.map { .init(sample: $0, suggested: 0, confidence: 0.5) }, of: data, to: path)
        // Rows 0–2 changed to another class, 3–7 kept as given, 8–9 left empty.
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
        for (row, sample) in samples.enumerated() where row < 8 {
            let given = Int(data.delivered[sample]), other = (given + 1) % data.classNames.count
            lines[row + 1] += data.classNames[row < 3 ? other : given]
        }
        try lines.joined(separator: "\n").appending("\n").write(toFile: path, atomically: true, encoding: .utf8)
        let check = SpotCheck(rows: try ReviewFile.rows(in: path, for: data), of: data)
        #expect(check.sampled == 10 && check.reviewed == 8 && check.wrong == 3)
        #expect(check.share == Proportion(count: 3, total: 8))
        let (lower, upper) = check.share.interval(z: ProportionDifference.z95)
        let errors = check.errors(among: 200)
        #expect(abs(errors.estimate - 75) < 1e-9 && abs(errors.lower - 200 * lower) < 1e-9 && abs(errors.upper - 200 * upper) < 1e-9)
        // Wilson's interval of 3 of 8 (z = 1.96): 0.137 to 0.694.
        #expect(abs(lower - 0.1368) < 5e-4 && abs(upper - 0.6943) < 5e-4, "\(lower) \(upper)")
    }
}
