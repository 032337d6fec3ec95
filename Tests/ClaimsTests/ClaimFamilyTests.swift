@testable import Claims
import Engine
import Foundation
@testable import Harness
import Testing

/// The claims as one family: each claim's p-value, on the scale of its 95% intervals, and Holm's
/// correction over the claims tested together.
@Suite struct ClaimFamilyTests {
    private func test(_ expect: String, margin: Double = 0) throws -> ClaimTest {
        let text = ClaimTests.tiny.replacingOccurrences(of: "expect: positive", with: "expect: \(expect)" + (margin > 0 ? "\n  margin: \(margin)" : ""))
        let path = NSTemporaryDirectory() + "flywheel-family-\(UUID().uuidString.prefix(8)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try Claim.load(path).test
    }

    /// Below 0.05 exactly when the pre-registered 95% interval says what the claim predicts, for
    /// each kind of prediction, over 2,000 random sets of paired differences (some tied at zero spread).
    @Test func aPredictionsPValueIsBelowFivePercentExactlyWhenItsIntervalHolds() throws {
        var generator = SplitMix64(seed: 11)
        let tests = [try test("positive"), try test("negative"), try test("equivalent", margin: 0.03)]
        var agreed = 0, held = 0
        for trial in 0..<2000 {
            let n = 2 + generator.nextIndex(below: 9), centre = Double(generator.nextIndex(below: 121)) / 1000 - 0.06
            let spread = trial % 50 == 0 ? 0 : Double(1 + generator.nextIndex(below: 40)) / 1000
            let d = Summary((0..<n).map { _ in centre + spread * (Double(generator.nextIndex(below: 2001)) / 1000 - 1) })
            for claimTest in tests {
                let holds = ClaimVerdict.holds(d, claimTest), p = ClaimVerdict.pValue(d, claimTest)
                let context = "\(claimTest.expect.rawValue) on mean \(d.mean), sd \(d.standardDeviation), n \(n): holds \(holds), p \(p)"
                #expect(holds == (p < 0.05), Comment(rawValue: context))
                agreed += holds == (p < 0.05) ? 1 : 0
                held += holds ? 1 : 0
            }
        }
        #expect(agreed == 6000 && held > 300 && held < 5700, "both outcomes occur: \(held) of 6000 held")
    }

    /// Holm (1979): p = 0.01, 0.04, 0.03, 0.005 → sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 →
    /// 0.02, 0.03, 0.06, 0.04 → made non-decreasing: 0.02, 0.03, 0.06, 0.06 (statsmodels'
    /// multipletests(method="holm") gives the same).
    @Test func holmAdjustsStepDownAndKeepsTheOrder() {
        let adjusted = Holm.adjusted([0.01, 0.04, 0.03, 0.005])
        let expected = [0.03, 0.06, 0.06, 0.02]
        #expect(zip(adjusted, expected).allSatisfy { abs($0 - $1) < 1e-12 }, "\(adjusted)")
        #expect(Holm.adjusted([0.5, 0.9]) == [1, 1] && Holm.adjusted([]) == [] && Holm.adjusted([0.02]) == [0.02])
    }
}
