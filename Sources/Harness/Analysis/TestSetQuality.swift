import Curation
import Store

/// How finely one test set can separate models: its size, the share of its labels that
/// confident learning flags as possibly wrong — on the out-of-sample probabilities of the
/// baseline (a model that never saw a test image), `prune_by_noise_rate` — and the binomial
/// standard error of an accuracy measured on it. A difference between two models scored on such a
/// test set that is smaller than two standard errors, or than the flagged share where the labels
/// are not known to be gold, is within what its sampling and its label errors can move. On a gold
/// test set every flag is a false alarm: the share says how far to discount the estimate on data
/// whose test labels nobody checked; Northcutt, Athalye and Mueller (2021) saw benchmark
/// rankings of near-tied models change at a few percent of test-label error.
public struct TestSetQuality: Sendable {
    /// Test images per seed (mean).
    public let images: Double
    /// Over seeds: the share of test labels flagged.
    public let flaggedShare: Summary
    /// The binomial standard error of the baseline's test accuracy (mean over seeds).
    public let standardError: Double
    /// Whether the test labels are gold (then every flag is a false alarm of the estimator).
    public let labelsAreGold: Bool

    /// The smallest difference the test set resolves: two standard errors, or, where its labels
    /// are not known to be gold, the flagged share if that is larger.
    public var resolution: Double { labelsAreGold ? 2 * standardError : max(flaggedShare.mean, 2 * standardError) }

    /// From the baseline trials that kept their test labels and probabilities (nil: none did).
    public init?(baseline: [TrialRecord]) {
        var shares: [Double] = [], errors: [Double] = [], sizes: [Double] = []
        for record in baseline {
            guard let labels = record.testLabels, let probabilities = record.predictions, let accuracy = record.metrics?.accuracy,
                  !labels.isEmpty, record.classNames.count >= 2,
                  let p = try? PredictedProbabilities(values: probabilities.map(Double.init), classes: record.classNames.count),
                  let issues = try? LabelIssueFinder().findLabelIssues(labels: labels.map(Int.init), probabilities: p) else { continue }
            shares.append(Double(issues.mask.filter { $0 }.count) / Double(labels.count))
            errors.append((accuracy * (1 - accuracy) / Double(labels.count)).squareRoot())
            sizes.append(Double(labels.count))
        }
        guard !shares.isEmpty else { return nil }
        images = sizes.reduce(0, +) / Double(sizes.count)
        flaggedShare = Summary(shares)
        standardError = errors.reduce(0, +) / Double(errors.count)
        labelsAreGold = baseline.allSatisfy(\.testLabelsAreGold)
    }
}
