import Curation
import Datasets
import Engine
import Foundation
import Harness
import Store

/// `flywheel audit`: on the images a team already has, estimates what each lever is worth —
/// reviewing the labels confident learning flags, collecting more data (overall, or of the
/// classes where it pays most), changing the model or its training, removing duplicates — by retraining the
/// fixed recipe with the lever applied (paired over seeds) or, for data not yet collected, by
/// projecting the learning curve.
public struct Audit: Sendable {
    public var recipe: Recipe
    public var folds = 4
    public var seeds: [UInt64] = [1, 2, 3]
    /// Shares of the training split for the learning curve (the whole split is added).
    public var fractions = [0.25, 0.5]
    /// Other architectures tried on the same training.
    public var variants: [Architecture]
    /// Changes of training tried on the same data, each measured like another architecture.
    public var trainingChanges = TrainingChange.defaults
    public var duplicates = DuplicateDetector()
    public var costs = CostSchedule()
    /// Trainings run side by side (independent trainings: the folds, each seed of each lever).
    public var jobs = 1
    /// Engine threads of each training (the audit sets `Parallelism` for its trainings).
    public var threads = 1
    /// What every model is measured by, and so every gain in.
    public var metric = ScoreMetric.accuracy

    public init(recipe: Recipe = Recipe()) {
        self.recipe = recipe
        variants = [Architecture.cnnDeep, .resnet8].filter { $0 != recipe.architecture }
    }

    /// Trainings an audit runs (for a progress display): the folds, then per seed the baseline, the
    /// smaller training sets, two review stand-ins, the de-duplicated set when there are copies, each
    /// model variant and each change of training.
    private func trainings(withCopies: Bool) -> Int {
        folds + seeds.count * (1 + fractions.count + 2 + (withCopies ? 1 : 0) + variants.count + trainingChanges.count)
    }

    /// Audits `data`; `progress(done, total, what)` is called before each training, by the job that
    /// starts it, one call at a time.
    public func run(_ data: Dataset, progress: @escaping (Int, Int, String) -> Void = { _, _, _ in }) throws -> AuditResult {
        let scoring = try AuditScoring(data, metric: metric)
        let training = data.indices(in: .train)
        guard training.count >= 2 * folds else {
            throw AuditError.unusable("the training split has \(training.count) images; the audit needs at least \(2 * folds) for \(folds) folds")
        }
        let started = Date()
        let duplicateReport = DuplicateReport(data, detector: duplicates)
        let counter = TrainingCounter(total: trainings(withCopies: !duplicateReport.redundant.isEmpty), progress)
        let trainer = AuditTrainer(scoring: scoring, threads: threads) { counter.starting($0) }
        let runs = SeededRuns(trainer: trainer, seeds: seeds, pool: TrainingPool(jobs: jobs, threadsPerJob: threads))

        let search = LabelIssueSearch(finder: LabelIssueFinder(), rankBy: .selfConfidence)
        let crossValidation = try CrossValidation(folds: folds, seed: seeds[0])
        let crossValidated = runs.pool.add {
            counter.starting("cross-validation", trainings: folds)
            return try search.search(in: data, samples: training, recipe: recipe, crossValidation: crossValidation).result
        }
        let retrainings = queueRetrainings(data, training, duplicateReport, runs)
        runs.pool.run()
        let issues = try crossValidated.value
        let reviews = queueReviews(data, training, issues, runs)
        runs.pool.run()

        let labelProbability = issues.labels.indices.map { issues.probabilities[$0, issues.labels[$0]] }
        let outliers = ClassOutliers(training, in: data, labelProbability: labelProbability)
        let quality = ImageQuality(of: data.splits.indices.filter { data.splits[$0] != .pool }, in: data)
        let baseline = try retrainings.baseline.convergedScores
        let curve = try learningCurve(retrainings.curve, training, baseline: baseline, scoring: scoring)
        let levers = try measureLevers(data, training, issues, duplicateReport, retrainings, reviews, curve, scoring)
        let leaked = Set(duplicateReport.trainTestLeaks.map(\.second) + duplicateReport.trainValidationLeaks.map(\.second))
        let kept = scoring.samples.indices.filter { !leaked.contains(scoring.samples[$0]) }
        return AuditResult(classNames: data.classNames, scoring: scoring, training: training, recipe: recipe, seeds: seeds,
                           labelIssues: issues, duplicates: duplicateReport, quality: quality, outliers: outliers,
                           baselineAccuracy: baseline.map(\.accuracy), baselineRecall: baseline.map(\.recall),
                           accuracyWithoutLeaks: baseline.map { score in
                               scoring.metric.value(correct: kept.map { score.correct[$0] }, labels: kept.map { scoring.labels[$0] })
                           },
                           learningCurve: curve, levers: Lever.ranked(levers), trainings: counter.total,
                           cpuSeconds: Date().timeIntervalSince(started) * Double(jobs * threads), commit: RuntimeVersions.flywheelCommit,
                           platform: RuntimePlatform.current(threads: threads).merging(["jobs": String(jobs)]) { $1 })
    }
}
