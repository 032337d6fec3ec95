import Foundation
import Harness
import Store

/// The analysis plan in words, as every report states it above its tables.
enum AnalysisPlanText {
    /// How the arms choose and how the verdicts are decided.
    static func sentences(_ plan: AnalysisPlan) -> String {
        let chooser = switch plan.chooseOn {
        case .delivered: "the validation set as delivered (labelled like the training set)"
        case .verified where plan.checkedValidationImages > 0:
            "the \(plan.checkedValidationImages) validation images a reviewer checked before any choice (a review charged to every arm that chooses)"
        case .verified: "the validation split's verified labels"
        }
        let sequential = plan.sequential.map {
            "; seeds added \($0.step) at a time from \($0.start) up to \($0.maximum) until data − model decides, each look at its share of α "
                + "(O'Brien–Fleming-type spending)"
        } ?? ""
        return "Each arm that has candidates takes, per seed, the one with the best accuracy on \(chooser); a tie goes to the cheaper "
            + "model, then the baseline. Verdicts (pre-registered: margin ±\(String(format: "%g", 100 * plan.margin)) points, "
            + "α = \(String(format: "%g", plan.alpha))\(sequential)): **equivalent** when the 1 − 2α interval of the paired difference lies "
            + "within ±margin (two one-sided tests), **better** or **worse** when the 1 − α interval excludes 0 and it is not equivalent, "
            + "**inconclusive** otherwise; *detectable* is the smallest true difference the paired t-test finds with 80% power at these "
            + "seeds and this spread, *seeds to decide* how many a fixed design would need were the mean and spread as measured."
    }
}
