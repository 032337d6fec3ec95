import Testing
@testable import Harness

/// Statistics against values computed by hand and by standard tables (scipy.stats gives the same).
@Suite struct StatisticsTests {
    @Test func tQuantilesMatchTables() {
        // t_{0.975, ν}: 12.706 (1), 2.776 (4), 2.262 (9), 1.960 (∞, approximated by ν = 10⁶)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1) - 12.7062) < 1e-3)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 4) - 2.7764) < 1e-3)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 9) - 2.2622) < 1e-3)
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1e6) - 1.9600) < 1e-3)
        #expect(abs(StudentT.cdf(0, degreesOfFreedom: 3) - 0.5) < 1e-12)
    }

    @Test func summaryGivesTheHandComputedInterval() {
        // values 0.70, 0.72, 0.74, 0.76, 0.78: mean 0.74, squared deviations sum to 0.004, sd = sqrt(0.004/4) = 0.0316228
        let s = Summary([0.70, 0.72, 0.74, 0.76, 0.78])
        #expect(abs(s.mean - 0.74) < 1e-12)
        #expect(abs(s.standardDeviation - 0.0316228) < 1e-6)
        // half-width = 2.7764 · 0.0316228 / √5 = 0.039265
        #expect(abs(s.upper - 0.779265) < 1e-5)
        #expect(abs(s.lower - 0.700735) < 1e-5)
        #expect(Summary([0.5]).lower == 0.5)
    }

    @Test func pairedComparisonOfAKnownCase() {
        // differences 0.10, 0.12, 0.08, 0.11, 0.09: mean 0.10, sd 0.0158114, t = 14.142, ν = 4 → p = 1.4513e-4
        let baseline = [0.70, 0.71, 0.72, 0.73, 0.74]
        let arm = zip(baseline, [0.10, 0.12, 0.08, 0.11, 0.09]).map { $0 + $1 }
        let c = PairedComparison(arm: arm, baseline: baseline)
        #expect(abs(c.difference.mean - 0.10) < 1e-12)
        #expect(abs(c.pValue - 1.4513e-4) < 1e-7, "\(c.pValue)")   // numerical integration of the t density
        #expect(c.bootstrapLower >= 0.08 && c.bootstrapUpper <= 0.12)
        #expect(c.bootstrapLower < 0.10 && c.bootstrapUpper > 0.10)
        // Same seed, same bootstrap.
        #expect(PairedComparison(arm: arm, baseline: baseline) == c)
    }

    @Test func pairedComparisonWithoutSpread() {
        #expect(PairedComparison(arm: [0.5, 0.6], baseline: [0.5, 0.6]).pValue == 1)
        #expect(PairedComparison(arm: [0.6, 0.7], baseline: [0.5, 0.6]).pValue == 0)
    }
}
