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
        let metric = plan.metric == .balancedAccuracy
            ? "Every figure is balanced accuracy (pre-registered: the mean of the classes' recalls, each class counted alike), on test and "
                + "on validation. " : ""
        return metric + "Each arm that has candidates takes, per seed, the one with the best \(plan.metric.name) on \(chooser); a tie goes to the cheaper "
            + "model, then the baseline. Verdicts (pre-registered: margin ±\(String(format: "%g", 100 * plan.margin)) points, "
            + "α = \(String(format: "%g", plan.alpha))\(sequential)): **equivalent** when the 1 − 2α interval of the paired difference lies "
            + "within ±margin (two one-sided tests), **better** or **worse** when the 1 − α interval excludes 0 and it is not equivalent, "
            + "**inconclusive** otherwise; *detectable* is the smallest true difference the paired t-test finds with 80% power at these "
            + "seeds and this spread, *seeds to decide* how many a fixed design would need were the mean and spread as measured."
    }
}

/// A test set's quality in words (`TestSetQuality`).
enum TestSetText {
    static func sentence(_ quality: TestSetQuality) -> String {
        let flagged = String(format: "%.1f%%", 100 * quality.flaggedShare.mean)
        let flags = quality.labelsAreGold
            ? "its labels are gold, yet confident learning on the baseline's out-of-sample probabilities flags \(flagged) of them: the estimator's false alarms with a model this accurate, "
                + "to discount its estimate by on a test set nobody checked"
            : "confident learning on the baseline's out-of-sample probabilities flags \(flagged) of its labels as possibly wrong"
        return String(format: "**Test set:** %.0f images per seed; %@; an accuracy on it has a standard error of %.1f points. "
                      + "A difference under %.1f points between two models scored on one such test set is within what its sampling%@ moves "
                      + "(Northcutt et al. 2021).", quality.images, flags, 100 * quality.standardError, 100 * quality.resolution,
                      quality.labelsAreGold ? "" : " and its possible label errors")
    }
}
