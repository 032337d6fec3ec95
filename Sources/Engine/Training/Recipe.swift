/// How to make and train one model: the architecture, its dropout and the training settings.
/// Every training in Flywheel starts from a recipe — a trial's final model, the models a data
/// step trains (cross-validation folds, active-learning rounds) and `flywheel train` — so the
/// defaults live here and nowhere else: cnn-small, no dropout, and `TrainingConfig()`'s settings
/// (20 epochs of SGD, momentum 0.9, batch 32, lr 0.02, constant schedule).
public struct Recipe: Sendable, Equatable, Codable {
    public var architecture: Architecture
    /// Dropout before the classifier (0 = none).
    public var dropout: Float
    public var training: TrainingConfig
    /// Weights to start from instead of random ones (nil: the seed's random weights).
    public var pretrained: PretrainedWeights?
    /// The resolution the network sees, in pixels a side, when the images are stored larger: the
    /// images are average-pooled down by the integer factor between them (nil: as stored).
    public var inputSize: Int?
    /// `normalize: per-image`: each image standardised to mean 0, standard deviation 1 before the
    /// network, in training and inference alike (nil: the pixels as stored).
    public var standardizesInput: Bool?
    /// `adapt_batch_norm: N`: after training, the batch-norm statistics re-estimated on N unlabelled
    /// images of the pool — the condition the model will meet — before the test set is scored
    /// (`BatchNormAdaptation`; nil: none). The validation split is scored before, as trained.
    public var batchNormAdaptationImages: Int?

    public init(architecture: Architecture = .cnnSmall, dropout: Float = 0, training: TrainingConfig = TrainingConfig(),
                pretrained: PretrainedWeights? = nil) {
        self.architecture = architecture; self.dropout = dropout; self.training = training; self.pretrained = pretrained
    }

    /// Chooses the optimiser; SGD keeps its momentum (0.9 by default), the adaptive ones start without.
    public mutating func useOptimizer(_ kind: OptimizerKind) {
        training.optimizer.kind = kind
        if kind != .sgd { training.optimizer.momentum = 0 }
    }

    /// The recipe's model for images of `inputChannels` × `imageSize` × `imageSize` and `classes`
    /// classes, with weights drawn from `seed`, then the pretrained ones loaded over all but the classifier.
    public func model(inputChannels: Int, imageSize: Int, classes: Int, seed: UInt64) throws -> Sequential {
        let model = try ModelSpec(architecture: architecture, inputChannels: inputChannels, imageSize: imageSize, classes: classes,
                                  dropout: dropout, inputPool: try inputPool(forImagesOf: imageSize),
                                  standardizesInput: standardizesInput == true).build(seed: seed)
        try pretrained?.load(into: model)
        return model
    }

    /// The pooling factor from stored images of `imageSize` pixels to `inputSize`.
    /// - Throws: `EngineError.invalidOption` when `inputSize` is larger than the images or does not divide them.
    func inputPool(forImagesOf imageSize: Int) throws -> Int {
        guard let inputSize else { return 1 }
        try require(inputSize <= imageSize && imageSize % inputSize == 0,
                    "input_size \(inputSize) must divide the \(imageSize)-pixel images it is pooled from (e.g. \(imageSize / 2))")
        return imageSize / inputSize
    }

    /// A model that has been trained, and what its training did.
    public struct Trained {
        public let model: Sequential
        public let report: TrainingReport
    }

    /// Builds the model from `seed` and trains it on `samples`, shuffling from `seed + 1` (the
    /// convention of every training in Flywheel, so the same seed gives the same model anywhere).
    /// - Parameter onEpoch: called after every epoch.
    public func train(_ samples: LabeledImages, validation: LabeledImages? = nil, seed: UInt64,
                      onEpoch: (EpochRecord) -> Void = { _ in }) throws -> Trained {
        let shape = samples.sampleShape
        let model = try self.model(inputChannels: shape[0], imageSize: shape[1], classes: samples.classes, seed: seed)
        var settings = training
        settings.shuffleSeed = seed &+ 1
        let report = try Trainer(model: model, config: settings).fit(samples, validation: validation, onEpoch: onEpoch)
        return Trained(model: model, report: report)
    }
}
