import Curation
import Engine

/// The model and training settings of one trial: the baseline's, or a variant's after its overrides.
public struct TrainingSpec: Sendable, Equatable {
    public var model: Architecture
    public var dropout: Float
    public var training: TrainingConfig

    /// Keys accepted under `baseline:` and in a variant's overrides (`train.lr`, `model`, …).
    static let keys = ["model", "dropout", "train"]
    static let trainKeys = ["epochs", "batch", "optimizer", "lr", "momentum", "nesterov", "weight_decay", "label_smoothing",
                            "schedule", "warmup_epochs", "early_stopping", "flips"]

    /// Decodes and validates a `baseline:`-shaped tree. Defaults (this one place): cnn-small, no
    /// dropout, 20 epochs of SGD with batch 32, lr 0.02, momentum 0.9, no weight decay, constant schedule.
    static func decode(_ reader: ConfigReader) throws -> TrainingSpec {
        let entries = try reader.entries(allowed: keys)
        var spec = TrainingSpec(model: .cnnSmall, dropout: 0, training: TrainingConfig())
        if let model = entries["model"] {
            spec.model = Architecture(rawValue: try model.string(allowed: Architecture.allCases.map(\.rawValue)))!
        }
        if let dropout = entries["dropout"] { spec.dropout = Float(try dropout.double(in: 0...0.95, description: "a dropout rate in [0, 0.95]")) }
        var t = TrainingConfig()
        t.epochs = 20; t.batchSize = 32; t.learningRate = 0.02
        t.optimizer = OptimizerSettings(kind: .sgd, momentum: 0.9)
        if let train = try entries["train"]?.entries(allowed: trainKeys) {
            if let v = train["epochs"] { t.epochs = try v.positiveInt() }
            if let v = train["batch"] { t.batchSize = try v.positiveInt() }
            if let v = train["optimizer"] { t.optimizer.kind = OptimizerKind(rawValue: try v.string(allowed: OptimizerKind.allCases.map(\.rawValue)))! }
            if t.optimizer.kind != .sgd { t.optimizer.momentum = 0 }
            if let v = train["lr"] { t.learningRate = Float(try v.double(in: 1e-12...10, description: "a learning rate in (0, 10]")) }
            if let v = train["momentum"] { t.optimizer.momentum = Float(try v.double(in: 0...0.999, description: "a momentum in [0, 1)")) }
            if let v = train["nesterov"] { t.optimizer.nesterov = try v.bool() }
            if let v = train["weight_decay"] { t.optimizer.weightDecay = Float(try v.double(in: 0...1, description: "a weight decay in [0, 1]")) }
            if let v = train["label_smoothing"] { t.labelSmoothing = Float(try v.double(in: 0...0.99, description: "a label smoothing in [0, 1)")) }
            if let v = train["schedule"] {
                switch try v.string(allowed: ["constant", "cosine", "step"]) {
                case "cosine": t.schedule.decay = .cosine(minimum: 0)
                case "step": t.schedule.decay = .step(every: max(1, t.epochs / 3), factor: 0.1)
                default: t.schedule.decay = .constant
                }
            }
            if let v = train["warmup_epochs"] { t.schedule.warmupEpochs = try v.double(in: 0...1000, description: "warm-up epochs ≥ 0") }
            if let v = train["early_stopping"] { t.earlyStoppingPatience = try v.positiveInt() }
            if let v = train["flips"] { t.randomFlips = try v.bool() ? .both : [] }
        }
        do { try t.validate() } catch { throw ConfigError("\(reader.path): \(error) (\(reader.tree.origin))") }
        spec.training = t
        return spec
    }
}

extension TrainingSpec {
    /// This model and training, as the data-centric arm holds it fixed.
    public var fixedModel: FixedModel { FixedModel(architecture: model, dropout: dropout, training: training) }
}
