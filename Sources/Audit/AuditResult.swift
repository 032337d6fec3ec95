import Curation
import Datasets
import Engine
import Harness
import Store

/// Everything one audit found, computed from the delivered labels and scored on `scoring`.
public struct AuditResult: Sendable {
    public let classNames: [String]
    public let scoring: AuditScoring
    /// The training split's samples.
    public let training: [Int]
    public let recipe: Recipe
    public let seeds: [UInt64]

    /// Confident learning over the training split (cross-validated, delivered labels).
    public let labelIssues: LabelIssueSearch.Result
    public let duplicates: DuplicateReport
    /// Over the training, validation and test images.
    public let quality: ImageQuality
    /// Over the training split.
    public let outliers: ClassOutliers

    /// The baseline (the recipe on the whole training split) per seed, in the scoring's metric
    /// (accuracy, or balanced accuracy: `scoring.metric`), as every accuracy of the result.
    public let baselineAccuracy: [Double]
    /// The baseline's recall per seed, per class.
    public let baselineRecall: [[Double]]
    /// The baseline's accuracy per seed with the scored images that duplicate training images left out.
    public let accuracyWithoutLeaks: [Double]
    public let learningCurve: LearningCurve
    /// Every lever, best estimated gain first.
    public let levers: [Lever]
    /// Trainings run, and their CPU time.
    public let trainings: Int
    public let cpuSeconds: Double
    /// The Flywheel commit and the machine facts the figures depend on (`RuntimePlatform`), with
    /// `jobs`, the trainings run side by side (which changes the time, not the figures).
    public let commit: String
    public let platform: [String: String]

    /// One markdown line naming the code and the machine.
    public var provenanceLine: String {
        "Code: Flywheel commit \(commit); OpenBLAS kernel \(platform["openblas_core"] ?? "?"), convolution kernel \(platform["convolution"] ?? "?"), "
            + "\(platform["threads"] ?? "?") engine thread(s) per training, \(platform["jobs"] ?? "1") training(s) side by side, CPU \(platform["cpu"] ?? "?"). Another BLAS kernel rounds differently and moves each figure within seed noise."
    }

    /// Training images per class (delivered labels).
    public var trainingCounts: [Int] {
        (0..<classNames.count).map { k in labelIssues.labels.filter { $0 == k }.count }
    }

    /// The most frequent (given, likely true) confusions of the confident joint, largest first.
    public func confusedPairs(limit: Int = 5) -> [(given: Int, likelyTrue: Int, count: Int)] {
        let counts = labelIssues.issues.joint.counts
        return counts.indices.flatMap { g in counts[g].indices.filter { $0 != g && counts[g][$0] > 0 }.map { (g, $0, counts[g][$0]) } }
            .sorted { $0.2 > $1.2 }.prefix(limit).map { (given: $0.0, likelyTrue: $0.1, count: $0.2) }
    }
}
