import Audit
import Foundation
import Testing

/// The learning curve's projection of twice the data, and the same projection tried one step back.
@Suite struct LearningCurveTests {
    /// Three sizes, one seed each, errors as given; recall is not used here.
    private func curve(_ errors: [[Double]]) -> LearningCurve {
        let sizes = [100, 200, 400], fractions = [0.25, 0.5, 1]
        return LearningCurve(points: sizes.indices.map { i in
            LearningCurve.Point(fraction: fractions[i], size: sizes[i], accuracy: errors.map { 1 - $0[i] }, recall: errors.map { _ in [] })
        }, floor: 1e-4)
    }

    @Test func onAnExactPowerLawTheStepBackIsProjectedExactly() throws {
        // e(n) = 3 · n^(−0.5): 0.3, 0.2121, 0.15; twice the data projects 0.15 · (1 − 2^(−0.5)).
        let errors = [100.0, 200, 400].map { 3 * pow($0, -0.5) }
        let fitted = curve([errors])
        #expect(abs(fitted.exponents[0] - 0.5) < 1e-12)
        #expect(abs(fitted.projectedGain[0] - 0.15 * (1 - pow(2, -0.5))) < 1e-12)
        let backtest = try #require(fitted.backtestError)
        #expect(abs(backtest[0]) < 1e-12)
    }

    @Test func onACurveThatFlattensTheStepBackWasPromisedTooMuch() throws {
        // 0.4 → 0.3 → 0.3: fitted on the first two, b = log2(4/3); it projects 0.3 · (1 − 3/4) = 0.075 for a step that gained 0.
        // A second seed whose curve keeps falling faster than its start: 0.4 → 0.3 → 0.2 (projected 0.075, measured 0.1).
        let fitted = curve([[0.4, 0.3, 0.3], [0.4, 0.3, 0.2]])
        let backtest = try #require(fitted.backtestError)
        #expect(abs(backtest[0] - 0.075) < 1e-12 && abs(backtest[1] - (0.075 - 0.1)) < 1e-12, "\(backtest)")
        // Two sizes leave nothing to step back from.
        let short = LearningCurve(points: [LearningCurve.Point(fraction: 0.5, size: 200, accuracy: [0.7], recall: [[]]),
                                           LearningCurve.Point(fraction: 1, size: 400, accuracy: [0.8], recall: [[]])], floor: 1e-4)
        #expect(short.backtestError == nil)
    }
}
