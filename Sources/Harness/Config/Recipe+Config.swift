import Engine

extension Recipe {
    /// Keys accepted under `baseline:` and in a variant's overrides (`train.lr`, `model`, …).
    static let keys = ["model", "dropout", "input_size", "normalize", "adapt_batch_norm", "train", "init"]
    static let trainKeys = ["epochs", "batch", "optimizer", "lr", "momentum", "nesterov", "weight_decay", "label_smoothing",
                            "schedule", "warmup_epochs", "early_stopping", "validation_curve", "flips", "loss", "gce_r", "sample_weights", "oversample", "photometric"]

    /// Decodes and validates a `baseline:`-shaped tree; what it does not set keeps `Recipe()`'s defaults.
    static func decode(_ reader: ConfigReader) throws -> Recipe {
        let entries = try reader.entries(allowed: keys)
        var recipe = Recipe()
        if let model = entries["model"] {
            recipe.architecture = Architecture(rawValue: try model.string(allowed: Architecture.allCases.map(\.rawValue)))!
        }
        if let dropout = entries["dropout"] { recipe.dropout = Float(try dropout.double(in: 0...0.95, description: "a dropout rate in [0, 0.95]")) }
        if let train = try entries["train"]?.entries(allowed: trainKeys) { try recipe.decodeTraining(train) }
        if let size = entries["input_size"] { recipe.inputSize = try size.int(minimum: 8, description: "an input size of at least 8 pixels") }
        if let normalize = entries["normalize"] { recipe.standardizesInput = try normalize.string(allowed: ["none", "per-image"]) == "per-image" ? true : nil }
        if let images = entries["adapt_batch_norm"] { recipe.batchNormAdaptationImages = try images.int(minimum: 2, description: "a number of unlabelled pool images, at least 2") }
        if let weights = entries["init"] { recipe.pretrained = try PretrainedWeights.read(trialFile: try weights.string(), key: weights) }
        do { try recipe.training.validate() } catch { throw ConfigError("\(reader.path): \(error) (\(reader.tree.origin))") }
        return recipe
    }

    /// `photometric: true` (brightness 0.1, contrast 0.2), `false`, or `{brightness: B, contrast: C}`.
    private static func photometric(_ v: ConfigReader) throws -> PhotometricJitter? {
        if let on = try? v.bool() { return on ? PhotometricJitter() : nil }
        let o = try v.entries(allowed: ["brightness", "contrast"])
        let standard = PhotometricJitter()
        return PhotometricJitter(brightness: Float(try o["brightness"]?.double(in: 0...1, description: "a brightness shift in [0, 1] of the pixel range") ?? Double(standard.brightness)),
                                 contrast: Float(try o["contrast"]?.double(in: 0...0.99, description: "a contrast change in [0, 1)") ?? Double(standard.contrast)))
    }

    private mutating func decodeTraining(_ train: [String: ConfigReader]) throws {
        if let v = train["epochs"] { training.epochs = try v.positiveInt() }
        if let v = train["batch"] { training.batchSize = try v.positiveInt() }
        if let v = train["optimizer"] { useOptimizer(OptimizerKind(rawValue: try v.string(allowed: OptimizerKind.allCases.map(\.rawValue)))!) }
        if let v = train["lr"] { training.learningRate = Float(try v.double(in: 1e-12...10, description: "a learning rate in (0, 10]")) }
        if let v = train["momentum"] { training.optimizer.momentum = Float(try v.double(in: 0...0.999, description: "a momentum in [0, 1)")) }
        if let v = train["nesterov"] { training.optimizer.nesterov = try v.bool() }
        if let v = train["weight_decay"] { training.optimizer.weightDecay = Float(try v.double(in: 0...1, description: "a weight decay in [0, 1]")) }
        if let v = train["label_smoothing"] { training.labelSmoothing = Float(try v.double(in: 0...0.99, description: "a label smoothing in [0, 1)")) }
        if let v = train["schedule"] {
            switch try v.string(allowed: ["constant", "cosine", "step"]) {
            case "cosine": training.schedule.decay = .cosine(minimum: 0)
            case "step": training.schedule.decay = .step(every: max(1, training.epochs / 3), factor: 0.1)
            default: training.schedule.decay = .constant
            }
        }
        if let v = train["warmup_epochs"] { training.schedule.warmupEpochs = try v.double(in: 0...1000, description: "warm-up epochs ≥ 0") }
        if let v = train["early_stopping"] { training.earlyStoppingPatience = try v.positiveInt() }
        if let v = train["validation_curve"] { training.validationCurve = try v.bool() ? true : nil }
        if let v = train["flips"] { training.randomFlips = try v.bool() ? .both : [] }
        if let v = train["oversample"] { training.oversample = try v.bool() }
        if let v = train["photometric"] { training.photometric = try Self.photometric(v) }
        if let v = train["sample_weights"] { training.sampleWeights = SampleWeights(rawValue: try v.string(allowed: SampleWeights.allCases.map(\.rawValue)))! }
        if try train["loss"]?.string(allowed: ["cross-entropy", "generalized-cross-entropy"]) == "generalized-cross-entropy" {
            training.generalizedCrossEntropy = Float(try train["gce_r"]?.double(in: 0.01...1, description: "r in [0.01, 1]") ?? 0.7)
        } else if let r = train["gce_r"] {
            throw ConfigError("\(r.path): set only with loss: generalized-cross-entropy (\(r.tree.origin))")
        }
    }
}
