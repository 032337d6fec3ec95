import Curation
import Engine
import Foundation
import TestSupport
import Testing

/// The statistics of the anchoring measurement against their reference implementations (SciPy's
/// Fisher test, statsmodels' Newcombe interval), the power it states against simulation, and
/// the blind half's draw.
@Suite struct ProportionDifferenceTests {
    static let tables = [(56, 70, 48, 80), (3, 4, 1, 4), (0, 12, 5, 11), (12, 12, 9, 10), (31, 50, 20, 50), (7, 23, 7, 25), (1, 9, 0, 8), (40, 41, 25, 40)]

    @Test func fisherAndNewcombeAgreeWithSciPyAndStatsmodels() throws {
        let python = try pythonEnvironment([("scipy", "scipy"), ("statsmodels", "statsmodels")])
        let script = """
            import sys, json
            from scipy.stats import fisher_exact
            from statsmodels.stats.proportion import confint_proportions_2indep
            out = []
            for a, n, b, m in json.loads(sys.argv[1]):
                p = fisher_exact([[a, n - a], [b, m - b]], alternative="two-sided").pvalue
                low, high = confint_proportions_2indep(a, n, b, m, method="newcomb", compare="diff", alpha=0.05)
                out.append([p, low, high])
            print(json.dumps(out))
            """
        let input = "[" + Self.tables.map { "[\($0.0), \($0.1), \($0.2), \($0.3)]" }.joined(separator: ",") + "]"
        let run = try runProcess(python, ["-c", script, input])
        #expect(run.status == 0, "\(run.output)")
        let reference = try #require(try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [[Double]], "\(run.output)")
        for (table, expected) in zip(Self.tables, reference) {
            let difference = ProportionDifference(Proportion(count: table.0, total: table.1), Proportion(count: table.2, total: table.3))
            let (lower, upper) = difference.interval(z: ProportionDifference.z95)
            #expect(abs(difference.fisherPValue - expected[0]) < 1e-9, "\(table): Fisher \(difference.fisherPValue) vs \(expected[0])")
            #expect(abs(lower - expected[1]) < 1e-6 && abs(upper - expected[2]) < 1e-6, "\(table): [\(lower), \(upper)] vs \(expected)")
        }
        // Newcombe's own worked example (1998, table II, a): 56/70 − 48/80, hybrid score interval 0.0524 to 0.3339.
        let example = ProportionDifference(Proportion(count: 56, total: 70), Proportion(count: 48, total: 80)).interval(z: ProportionDifference.z95)
        #expect(abs(example.lower - 0.0524) < 5e-5 && abs(example.upper - 0.3339) < 5e-5, "\(example)")
    }

    /// At the stated smallest detectable rise, simulated experiments of the same sizes reject
    /// at about 80% (the two-proportion test the power is computed for); at half of it, far less.
    @Test func theStatedDetectableRiseHasEightyPercentPowerInSimulation() throws {
        let (n1, n0, p0) = (40, 40, 0.3)
        let rise = try #require(ProportionDifference(Proportion(count: 20, total: n1), Proportion(count: 12, total: n0)).minimumDetectableRise)
        #expect(rise > 0.2 && rise < 0.4, "\(rise)")
        func rejectionRate(_ d: Double) -> Double {
            var random = SplitMix64(seed: 11)
            let experiments = 20_000
            var rejected = 0
            for _ in 0..<experiments {
                let a = (0..<n1).filter { _ in Double(random.nextUniform()) < p0 + d }.count, b = (0..<n0).filter { _ in Double(random.nextUniform()) < p0 }.count
                let pooled = Double(a + b) / Double(n1 + n0), se = (pooled * (1 - pooled) * (1 / Double(n1) + 1 / Double(n0))).squareRoot()
                if se > 0, abs(Double(a) / Double(n1) - Double(b) / Double(n0)) / se > ProportionDifference.z95 { rejected += 1 }
            }
            return Double(rejected) / Double(experiments)
        }
        let atRise = rejectionRate(rise), atHalf = rejectionRate(rise / 2)
        #expect(abs(atRise - 0.8) < 0.03, "power at the stated rise \(rise): \(atRise)")
        #expect(atHalf < 0.45, "power at half the rise: \(atHalf)")
    }

    @Test func theBlindHalfHidesOneOfEachPairAtRandom() {
        let shown = BlindHalf.shown(rows: 101, seed: 7)
        #expect(shown.count == 101)
        for pair in stride(from: 0, to: 100, by: 2) { #expect(shown[pair] != shown[pair + 1], "rows \(pair), \(pair + 1)") }
        #expect(shown == BlindHalf.shown(rows: 101, seed: 7), "the same seed draws the same half")
        #expect(shown != BlindHalf.shown(rows: 101, seed: 8), "another seed draws another")
        let firsts = stride(from: 0, to: 100, by: 2).filter { shown[$0] }.count
        #expect(firsts > 10 && firsts < 40, "the coin decides which of a pair is shown: \(firsts) of 50 firsts shown")
    }
}
