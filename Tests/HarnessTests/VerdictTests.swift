import Engine
import Store
import Testing
@testable import Harness

/// The verdict vocabulary: better, worse, equivalent within the margin (two one-sided tests),
/// inconclusive; the smallest detectable effect; and the sequential rule's error rate.
@Suite struct VerdictTests {
    private let plan = AnalysisPlan(margin: 0.02)

    @Test func eachVerdictWhereItsIntervalSaysSo() {
        // Equivalent: the 90% interval inside ±2 points (also different from 0 here: still no practical difference).
        #expect(plan.decide(Summary([0.004, 0.006, 0.005, 0.007, 0.003, 0.005])).verdict == .equivalent)
        #expect(plan.decide(Summary([0.05, 0.06, 0.04, 0.07, 0.05])).verdict == .better)
        #expect(plan.decide(Summary([-0.05, -0.06, -0.04, -0.07, -0.05])).verdict == .worse)
        // Wide: neither excludes 0 nor fits in the margin.
        let wide = plan.decide(Summary([0.08, -0.06, 0.02, -0.05, 0.04]))
        #expect(wide.verdict == .inconclusive)
        #expect(wide.seedsToDecide != nil && wide.seedsToDecide! > 5)
        #expect(plan.decide(Summary([0.01])).verdict == .inconclusive)   // one seed cannot decide
    }

    @Test func theEquivalenceIntervalAndTheDetectableEffectFollowTheTDistribution() {
        // d = [1, 2, 3, 4, 5] points: mean 3, sd 1.5811, se 0.7071; scipy: t.ppf(0.95, 4) = 2.1318, t.ppf(0.975, 4) = 2.7764, t.ppf(0.8, 4) = 0.9410.
        let d = plan.decide(Summary([0.01, 0.02, 0.03, 0.04, 0.05]))
        #expect(abs(d.equivalenceLower - (0.03 - 2.1318 * 0.007071)) < 1e-5)
        #expect(abs(d.equivalenceUpper - (0.03 + 2.1318 * 0.007071)) < 1e-5)
        #expect(abs(d.minimumDetectableEffect - (2.7764 + 0.9410) * 0.007071) < 1e-5)
        #expect(d.verdict == .better && d.seedsToDecide == nil)
    }

    /// An arm that chose the baseline on every seed differs by exactly 0 with no spread: equivalent
    /// (it changed nothing), with no detectable effect to state — a spread of 0 sizes no test.
    @Test func noSpreadIsEquivalentWithNothingToDetect() {
        let same = plan.decide(Summary([0, 0, 0]))
        #expect(same.verdict == .equivalent && same.minimumDetectableEffect.isNaN && same.seedsToDecide == nil)
        #expect(plan.decide(Summary([0, 0.01, 0])).minimumDetectableEffect > 0)
    }

    @Test func sequentialLevelsSpendAlphaEarlyLittleAndAddUpToIt() throws {
        let design = AnalysisPlan.SequentialDesign(start: 5, step: 5, maximum: 20)
        let sequential = AnalysisPlan(margin: 0.02, sequential: design)
        #expect(design.looks == [5, 10, 15, 20])
        let levels = design.looks.map { sequential.alpha(atSeeds: $0) }
        #expect(abs(levels.reduce(0, +) - 0.05) < 1e-9)
        #expect(levels[0] < 1e-3 && levels == levels.sorted())
        #expect(AnalysisPlan(margin: 0.02).alpha(atSeeds: 7) == 0.05)
    }

    /// Under no true difference, the sequential rule calls better or worse on at most α of the
    /// experiments (simulated paired differences, no training): 20,000 runs, normal and heavy-tailed.
    @Test func theSequentialRuleKeepsTheFalseVerdictRateAtAlpha() {
        let sequential = AnalysisPlan(margin: 0.02, sequential: AnalysisPlan.SequentialDesign(start: 5, step: 5, maximum: 20))
        var generator = SplitMix64(seed: 2026)
        for heavyTailed in [false, true] {
            var false_ = 0, equivalent = 0
            let runs = 20_000
            for _ in 0..<runs {
                let draws = (0..<20).map { _ -> Double in
                    let z = Double(generator.nextNormal())
                    return 0.03 * (heavyTailed ? z * (generator.nextUniform() < 0.1 ? 3 : 1) : z)
                }
                for look in sequential.sequential!.looks {
                    let verdict = sequential.decide(Summary(Array(draws.prefix(look))), projecting: false).verdict
                    if verdict == .inconclusive { continue }
                    if verdict == .better || verdict == .worse { false_ += 1 }
                    if verdict == .equivalent { equivalent += 1 }
                    break
                }
            }
            let rate = Double(false_) / Double(runs)
            #expect(rate <= 0.05 + 3 * (0.05 * 0.95 / Double(runs)).squareRoot(), "false better/worse rate \(rate) (heavy tails: \(heavyTailed))")
            #expect(equivalent > 0)   // the rule can also stop for no difference
        }
        // The same check on a fixed design is at α, not below it by construction: the test could fail.
        var fixedFalse = 0
        for _ in 0..<20_000 {
            let verdict = AnalysisPlan(margin: 0.001).decide(Summary((0..<10).map { _ in 0.03 * Double(generator.nextNormal()) }), projecting: false).verdict
            if verdict == .better || verdict == .worse { fixedFalse += 1 }
        }
        #expect(abs(Double(fixedFalse) / 20_000 - 0.05) < 0.008, "\(fixedFalse)")
    }
}
