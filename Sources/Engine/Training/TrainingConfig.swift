/// Everything that decides how a model is trained. With the model seed and the data, it fixes
/// the run completely.
public struct TrainingConfig: Sendable, Equatable, Codable {
    public var epochs = 20
    public var batchSize = 32
    public var learningRate: Float = 0.02
    public var optimizer = OptimizerSettings()
    public var schedule = LearningRateSchedule()
    public var labelSmoothing: Float = 0
    /// r of the noise-robust generalized cross-entropy (Zhang and Sabuncu 2018); 0 = plain
    /// cross-entropy. See `SoftmaxCrossEntropy`.
    public var generalizedCrossEntropy: Float = 0
    /// Per-class loss weights (nil = all 1).
    public var classWeights: [Float]?
    /// Stop when validation accuracy has not improved for this many epochs, and restore the
    /// best epoch's weights (nil = train every epoch).
    public var earlyStoppingPatience: Int?
    /// Score the validation set after every epoch and keep the curve even where early stopping
    /// does not need it (nil: only early stopping's epochs are scored; the final model is scored
    /// either way). Scoring a small training's validation set each epoch costs a tenth of its time
    /// or more (steel's 180 images against 480 trained on), so experiments ask for it.
    public var validationCurve: Bool?
    /// Seed of the minibatch order (and of the random flips).
    public var shuffleSeed: UInt64 = 0
    /// In-loop augmentation: each time a sample enters a batch it is flipped along each of these
    /// axes with probability ½ (seeded), so the data stays the same size. Empty = none.
    public var randomFlips: RandomFlips = []
    /// In-loop brightness and contrast jitter (nil = none); drawn from its own seeded stream, so
    /// adding it leaves the minibatch order and the flips as they were.
    public var photometric: PhotometricJitter?
    /// Where each training sample's loss weight comes from.
    public var sampleWeights: SampleWeights = .uniform
    /// Repeat the samples of every class but the largest, in turn, until each class has as many
    /// training samples as the largest (random oversampling against class imbalance).
    public var oversample = false

    public init() {}

    /// Whether the validation set is scored after every epoch: for early stopping, or for the curve.
    public var scoresValidationEachEpoch: Bool { earlyStoppingPatience != nil || validationCurve == true }

    /// Checks every setting; the message names the setting, its value and the allowed range.
    public func validate() throws {
        try require(epochs > 0, "epochs must be positive, got \(epochs)")
        try require(batchSize > 0, "batch size must be positive, got \(batchSize)")
        try require(learningRate > 0 && learningRate.isFinite, "learning rate must be positive, got \(learningRate)")
        try require(earlyStoppingPatience.map { $0 > 0 } ?? true, "early-stopping patience must be positive, got \(earlyStoppingPatience ?? 0)")
        try require(generalizedCrossEntropy >= 0 && generalizedCrossEntropy <= 1,
                    "the generalized cross-entropy's r must be in (0, 1], got \(generalizedCrossEntropy)")
        try require(generalizedCrossEntropy == 0 || labelSmoothing == 0, "label smoothing and the generalized cross-entropy do not combine; choose one")
        try optimizer.validate()
        try schedule.validate()
        try photometric?.validate()
    }
}

/// Where the per-sample weights of the training loss come from.
public enum SampleWeights: String, Sendable, Equatable, CaseIterable, Codable {
    /// Every sample counts once.
    case uniform
    /// The graded label's confidence as delivered (an imported `confidence` column; 1 where an
    /// image has none), so an image labelled "defect, ⅓ sure" counts a third.
    case confidence
    /// Inverse class frequency in the training set, scaled so the weights average 1: every class
    /// weighs the same in the loss however few samples it has (class weighting).
    case balanced
}

/// How a training run ended.
public enum TrainingStatus: String, Sendable, Codable {
    /// Every epoch ran.
    case completed
    /// Early stopping ended it; the best epoch's weights were restored.
    case stoppedEarly = "stopped-early"
    /// The loss became NaN or infinite; the run stopped there.
    case diverged
}

/// One epoch's numbers.
public struct EpochRecord: Sendable, Equatable, Codable {
    public let epoch: Int
    public let trainLoss: Double
    public let trainAccuracy: Double
    /// Accuracy on the validation set (nil without one).
    public let validationAccuracy: Double?
    /// Learning rate of the epoch's last step.
    public let learningRate: Double
}

/// What a training run did.
public struct TrainingReport: Sendable, Codable {
    public let status: TrainingStatus
    public let epochs: [EpochRecord]
    /// Epoch (1-based) whose weights the model holds at the end, when validation chose it.
    public let bestEpoch: Int?
    public let steps: Int
    /// Training FLOPs spent (3 × forward convention, samples actually seen).
    public let trainingFLOPs: Double
    public let seconds: Double
}
