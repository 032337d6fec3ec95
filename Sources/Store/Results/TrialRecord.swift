import Foundation

/// How a trial ended.
public enum TrialStatus: String, Sendable, Codable, CaseIterable {
    /// Trained and evaluated.
    case completed
    /// The loss became non-finite; metrics describe the model as it stood.
    case diverged
    /// Training ended but the model did not learn (`CollapseCheck`: one class predicted for
    /// everything, chance-level validation accuracy, or a loss that never fell); `error` holds the
    /// evidence, metrics the model as it stood. A failure of its arm, never chosen or averaged in.
    case collapsed
    /// An error stopped the trial; `error` says which.
    case failed
}

/// Test-set scores of a trial's final model.
public struct TrialMetrics: Sendable, Equatable {
    public var accuracy: Double
    public var macroF1: Double
    public var recall: [Double]
    public var precision: [Double]
    /// `confusion[t][p]`: test samples of true class t predicted as p.
    public var confusion: [[Int]]
    /// Accuracy on the validation set as delivered (nil without one).
    public var validationAccuracy: Double?
    /// Accuracy on the validation images a reviewer checked, against the checked labels (nil
    /// when the experiment verifies none).
    public var verifiedValidationAccuracy: Double?
    /// Balanced accuracy (`ScoreMetric.balancedAccuracy`) on the validation set as delivered and on
    /// the checked validation images (nil without them, or in a trial file written before they were kept).
    public var validationBalancedAccuracy: Double?, verifiedValidationBalancedAccuracy: Double?

    public init(accuracy: Double, macroF1: Double, recall: [Double], precision: [Double], confusion: [[Int]], validationAccuracy: Double?,
                verifiedValidationAccuracy: Double? = nil, validationBalancedAccuracy: Double? = nil, verifiedValidationBalancedAccuracy: Double? = nil) {
        self.accuracy = accuracy; self.macroF1 = macroF1; self.recall = recall; self.precision = precision
        self.confusion = confusion; self.validationAccuracy = validationAccuracy; self.verifiedValidationAccuracy = verifiedValidationAccuracy
        self.validationBalancedAccuracy = validationBalancedAccuracy; self.verifiedValidationBalancedAccuracy = verifiedValidationBalancedAccuracy
    }

    /// A final model's validation scores, as `record(training:…)` takes them.
    public struct Validation: Sendable {
        public var accuracy: Double?, verifiedAccuracy: Double?, balancedAccuracy: Double?, verifiedBalancedAccuracy: Double?
        public init(accuracy: Double? = nil, verifiedAccuracy: Double? = nil, balancedAccuracy: Double? = nil, verifiedBalancedAccuracy: Double? = nil) {
            self.accuracy = accuracy; self.verifiedAccuracy = verifiedAccuracy
            self.balancedAccuracy = balancedAccuracy; self.verifiedBalancedAccuracy = verifiedBalancedAccuracy
        }
    }

    /// "test 0.812, val 0.750" in `metric` (prefixed "balanced accuracy:" when it is), for a progress line.
    public func scoresText(_ metric: ScoreMetric) -> String {
        (metric == .accuracy ? "" : "\(metric.name): ")
            + String(format: "test %.3f, val %.3f", test(metric), validation(metric, verified: false) ?? .nan)
    }

    /// The test score in `metric`: accuracy as recorded, balanced accuracy from the confusion matrix.
    public func test(_ metric: ScoreMetric) -> Double {
        metric == .accuracy ? accuracy : metric.value(confusion: confusion)
    }

    /// The validation score in `metric`, on the set as delivered or on the checked images (nil where there is none).
    public func validation(_ metric: ScoreMetric, verified: Bool) -> Double? {
        switch (metric, verified) {
        case (.accuracy, false): validationAccuracy
        case (.accuracy, true): verifiedValidationAccuracy
        case (.balancedAccuracy, false): validationBalancedAccuracy
        case (.balancedAccuracy, true): verifiedValidationBalancedAccuracy
        }
    }
}

/// Per-epoch training curves (NaN where a value was not measured).
public struct TrialCurves: Sendable, Equatable {
    public var trainLoss: [Double] = []
    public var trainAccuracy: [Double] = []
    public var validationAccuracy: [Double] = []
    public var learningRate: [Double] = []

    public init(trainLoss: [Double] = [], trainAccuracy: [Double] = [], validationAccuracy: [Double] = [], learningRate: [Double] = []) {
        self.trainLoss = trainLoss; self.trainAccuracy = trainAccuracy
        self.validationAccuracy = validationAccuracy; self.learningRate = learningRate
    }
}

/// What one data step did and what it cost, as stored under `/curation` in a trial file.
public struct StepRecord: Sendable, Equatable {
    /// The step's name in experiment files (`label-issues`).
    public var name: String
    /// People's time and compute the step spent (nil for a step that spends neither: augment,
    /// dedup, prune).
    public var effort: Effort?
    /// What the step found or changed, as stored; `outcome(_:)` reads it as the step's typed outcome.
    public var stored: StoredOutcome

    /// The record of a step that found or changed `outcome`.
    public init(name: String, effort: Effort? = nil, outcome: some StepOutcome) {
        self.init(name: name, effort: effort, stored: outcome.stored)
    }

    /// A record as a trial file holds it.
    public init(name: String, effort: Effort? = nil, stored: StoredOutcome = StoredOutcome()) {
        self.name = name; self.effort = effort; self.stored = stored
    }

    /// The outcome's numbers and the effort's entries under their stored names, as the trial file holds them.
    public var storedValues: [String: Double] { stored.values.merging(effort?.storedValues ?? [:]) { $1 } }
}

/// One saved tensor of a model: a parameter or a buffer (running statistics).
public struct WeightTensor: Sendable, Equatable {
    public var layer: String
    public var kind: String
    public var name: String
    public var shape: [Int]
    public var values: [Float]

    public init(layer: String, kind: String, name: String, shape: [Int], values: [Float]) {
        self.layer = layer; self.kind = kind; self.name = name; self.shape = shape; self.values = values
    }
}

/// Everything recorded about one finished trial; one HDF5 file each (see docs/results-schema.md).
public struct TrialRecord: Sendable, Equatable {
    /// The schema this code writes. Readers refuse files with a newer version.
    public static let currentSchemaVersion: Int64 = 1

    public var schemaVersion = TrialRecord.currentSchemaVersion
    /// Stable id (a hash of the resolved trial config); also the file name.
    public var trialID: String
    public var experiment: String
    public var arm: Arm
    public var variant: String
    public var seed: Int64
    public var status: TrialStatus
    /// Why a failed trial failed, or the evidence that a collapsed one collapsed (empty otherwise).
    public var error = ""
    /// The fully resolved trial configuration, as YAML text.
    public var config: String
    /// SHA-256 of the experiment file the trial was planned from, and the overrides given with it
    /// (nil and empty for a trial outside an experiment, or a file written before they were recorded).
    public var experimentSHA256: String?
    public var experimentOverrides = ""
    /// The experiment's cost schedule, so reports price the arms as the file said (nil outside an
    /// experiment, or in files written before it was recorded).
    public var costs: CostSchedule?
    /// The experiment's pre-registered analysis plan (nil outside an experiment, or in files
    /// written before it was recorded: reports then use `AnalysisPlan()`).
    public var analysisPlan: AnalysisPlan?
    /// The git commit of the Flywheel that ran the trial, fixed when it was built
    /// (`RuntimeVersions.flywheelCommit`), whatever folder it ran in.
    public var gitCommit: String
    /// Tool and library versions ("flywheel", "hdf5", "openblas", "swift", …).
    public var versions: [String: String]
    /// Machine facts the numbers depend on ("openblas_core", "threads", "cpu"; see
    /// `RuntimePlatform`). Empty in files written before Flywheel recorded them.
    public var platform: [String: String] = [:]
    /// ISO 8601 start and finish times.
    public var startedAt: String
    public var finishedAt: String
    public var wallSeconds: Double
    public var trainFLOPs: Double
    /// Forward FLOPs per image of the trained model (nil in files written before Flywheel recorded it).
    public var inferenceFLOPs: Double?
    public var classNames: [String]
    public var metrics: TrialMetrics?
    /// Whether `metrics` were scored against gold labels (false: the test labels as delivered,
    /// which nobody checked; tables then say "as delivered"). True in files written before it was recorded.
    public var testLabelsAreGold = true
    public var curves = TrialCurves()
    public var curation: [StepRecord] = []
    public var weights: [WeightTensor] = []
    /// Test-set probabilities (N × classes, row-major), when kept.
    public var predictions: [Float]?
    /// The test labels the trial was scored against, one per row of `predictions` (nil in files
    /// written before they were kept).
    public var testLabels: [Int32]?

    public init(trialID: String, experiment: String, arm: Arm, variant: String, seed: Int64, status: TrialStatus,
                config: String, gitCommit: String, versions: [String: String], startedAt: String, finishedAt: String,
                wallSeconds: Double, trainFLOPs: Double, classNames: [String]) {
        self.trialID = trialID; self.experiment = experiment; self.arm = arm; self.variant = variant; self.seed = seed
        self.status = status; self.config = config; self.gitCommit = gitCommit; self.versions = versions
        self.startedAt = startedAt; self.finishedAt = finishedAt; self.wallSeconds = wallSeconds
        self.trainFLOPs = trainFLOPs; self.classNames = classNames
    }
}
