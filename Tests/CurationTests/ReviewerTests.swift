import Curation
import Datasets
import Engine
import Testing

/// The simulated reviewers' error rates on samples of known ambiguity match their formulas
/// within sampling error.
@Suite struct ReviewerTests {
    /// 20,000 one-pixel samples of 4 classes: a quarter each at ambiguity 0, ⅓, ⅔ and 1.
    static let data: Dataset = {
        let n = 20_000
        let gold = (0..<n).map { Int32($0 % 4) }
        return Dataset(pixels: [UInt8](repeating: 0, count: n), height: 1, width: 1, channels: 1, classNames: ["a", "b", "c", "d"],
                       gold: gold, delivered: gold, annotators: [Int32](repeating: -1, count: n),
                       ambiguity: (0..<n).map { Float(($0 / 4) % 4) / 3 }, splits: [Split](repeating: .train, count: n), provenance: [:])
    }()

    /// Labels every sample once; per ambiguity level, the fraction whose label is not `expected`.
    private func errorRates(_ reviewer: Reviewer, expected: (Int32) -> Int32 = { $0 }) throws -> [Float: Double] {
        var generator = SplitMix64(seed: 5)
        var wrong: [Float: Int] = [:], total: [Float: Int] = [:]
        for i in 0..<Self.data.count {
            let label = try reviewer.label(i, in: Self.data, using: &generator)
            let a = Self.data.ambiguity[i]
            total[a, default: 0] += 1
            if label != expected(Self.data.gold[i]) { wrong[a, default: 0] += 1 }
        }
        return total.mapValues { _ in 0 }.merging(wrong) { $1 }.reduce(into: [:]) { $0[$1.key] = Double($1.value) / Double(total[$1.key]!) }
    }

    /// Within four standard errors of a binomial proportion over 5,000 samples.
    private func close(_ measured: Double, _ expected: Double) -> Bool {
        abs(measured - expected) <= 4 * (expected * (1 - expected) / 5_000).squareRoot() + 1e-9
    }

    @Test func theConsistentExpertErrsMoreOnAmbiguousImagesAsItsFormulaSays() throws {
        let rates = try errorRates(.consistent(errorRate: 0.02, ambiguousErrorRate: 0.3))
        for (ambiguity, measured) in rates {
            let expected = Reviewer.expertErrorRate(errorRate: 0.02, ambiguousErrorRate: 0.3, ambiguity: Double(ambiguity))
            #expect(close(measured, expected), "ambiguity \(ambiguity): measured \(measured), formula \(expected)")
        }
        #expect(rates[0]! < 0.04 && rates[1]! > 0.25)
    }

    @Test func theConventionReviewerMergesItsPairAndIsOtherwiseTheExpert() throws {
        let reviewer = Reviewer.convention(from: 1, to: 2, errorRate: 0.05, ambiguousErrorRate: 0.05)
        // Against the reviewer's own convention (b written as c), it errs like the expert.
        let rates = try errorRates(reviewer, expected: { $0 == 1 ? 2 : $0 })
        for (ambiguity, measured) in rates { #expect(close(measured, 0.05), "ambiguity \(ambiguity): \(measured)") }
        // Against the truth, class b is almost always wrong.
        var generator = SplitMix64(seed: 9)
        let bs = (0..<Self.data.count).filter { Self.data.gold[$0] == 1 }
        let asC = try bs.filter { try reviewer.label($0, in: Self.data, using: &generator) == 2 }.count
        #expect(close(Double(asC) / Double(bs.count), 0.95))
    }

    /// Imported images carry no ambiguity score (NaN): the expert errs at its clear-image rate
    /// there, not never (a NaN rate once made it a gold oracle on every imported set).
    @Test func theExpertErrsAtItsClearRateOnImagesWithoutAScore() throws {
        var unscored = Self.data
        unscored.ambiguity = unscored.ambiguity.map { _ in .nan }
        var generator = SplitMix64(seed: 7)
        for reviewer in [Reviewer.consistent(errorRate: 0.1, ambiguousErrorRate: 0.3), .convention(from: 1, to: 2, errorRate: 0.1, ambiguousErrorRate: 0.3)] {
            let others = (0..<unscored.count).filter { unscored.gold[$0] != 1 }
            let wrong = try others.filter { try reviewer.label($0, in: unscored, using: &generator) != unscored.gold[$0] }.count
            let measured = Double(wrong) / Double(others.count)
            #expect(abs(measured - 0.1) <= 4 * (0.1 * 0.9 / Double(others.count)).squareRoot(), "\(reviewer): \(measured)")
        }
    }

    @Test func goldIsNeverWrong() throws {
        #expect(try errorRates(.gold).values.allSatisfy { $0 == 0 })
    }
}
