#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFloatingPoint

/// Minibatch training of a `Sequential` classifier: seeded shuffling each epoch, the configured
/// optimizer and schedule, a per-epoch callback, divergence detection and optional early stopping
/// on validation accuracy.
public final class Trainer {
    public let model: Sequential
    public let config: TrainingConfig
    private let loss: SoftmaxCrossEntropy
    private let optimizer: Optimizer

    /// - Throws: `EngineError.invalidOption` for any setting out of range.
    public init(model: Sequential, config: TrainingConfig) throws {
        try config.validate()
        guard model.outputShape.rank == 1 else {
            throw EngineError.shapeMismatch("a classifier's output must be (classes), got \(model.outputShape)")
        }
        self.model = model
        self.config = config
        loss = try SoftmaxCrossEntropy(classes: model.outputShape[0], labelSmoothing: config.labelSmoothing,
                                       classWeights: config.classWeights, generalization: config.generalizedCrossEntropy)
        optimizer = try config.optimizer.makeOptimizer(parameterCount: model.arena.count)
    }

    /// Trains on `train`, reporting each epoch to `onEpoch`, with `validation` scored after each
    /// epoch when the config asks for it (`TrainingConfig.scoresValidationEachEpoch`).
    /// - Throws: `EngineError.shapeMismatch` when the data does not fit the model, or
    ///   `.invalidOption` when early stopping is asked for without validation data.
    public func fit(_ train: LabeledImages, validation: LabeledImages? = nil,
                    onEpoch: (EpochRecord) -> Void = { _ in }) throws -> TrainingReport {
        try checkFits(train, "training")
        if let validation { try checkFits(validation, "validation") }
        try require(config.earlyStoppingPatience == nil || validation != nil, "early stopping needs a validation set")
        let started = monotonicSeconds()
        var assembler = BatchAssembler(maxBatch: config.batchSize)
        defer { assembler.release() }
        var shuffler = SplitMix64(seed: config.shuffleSeed)
        var flipper = SplitMix64(seed: config.shuffleSeed ^ 0xF11F_5EED)
        var lighting = SplitMix64(seed: config.shuffleSeed ^ 0x11_6477)
        var order = Array(0..<train.count)
        var records: [EpochRecord] = []
        var best: (accuracy: Double, epoch: Int, weights: [Tensor])?
        var steps = 0, samplesSeen = 0, status = TrainingStatus.completed
        let stepsPerEpoch = (train.count + config.batchSize - 1) / config.batchSize

        epochs: for epoch in 0..<config.epochs {
            shuffler.shuffle(&order)
            var lossSum = 0.0, correct = 0, rate: Float = config.learningRate
            for b in 0..<stepsPerEpoch {
                let range = (b * config.batchSize)..<min((b + 1) * config.batchSize, train.count)
                let (x, y) = config.randomFlips.isEmpty ? assembler.batch(of: train, order: order, range: range)
                    : assembler.batch(of: train, order: order, range: range, flipping: config.randomFlips, with: &flipper)
                if let jitter = config.photometric { assembler.jitter(x, count: range.count, sampleShape: train.sampleShape, with: jitter, generator: &lighting) }
                let progress = Double(epoch) + Double(b + 1) / Double(stepsPerEpoch)
                rate = config.schedule.rate(base: config.learningRate, epoch: progress, totalEpochs: config.epochs)
                let batchLoss = step(x, y, weights: assembler.weights(of: train, order: order, range: range), learningRate: rate)
                guard batchLoss.isFinite else { status = .diverged; break epochs }
                lossSum += Double(batchLoss) * Double(range.count)
                correct += countCorrect(loss.probabilities, y)
                steps += 1; samplesSeen += range.count
            }
            let validationAccuracy = config.scoresValidationEachEpoch
                ? validation.map { evaluate(model: model, on: $0, batchSize: config.batchSize).accuracy } : nil
            let record = EpochRecord(epoch: epoch + 1, trainLoss: lossSum / Double(train.count),
                                     trainAccuracy: Double(correct) / Double(train.count),
                                     validationAccuracy: validationAccuracy, learningRate: Double(rate))
            records.append(record)
            onEpoch(record)
            if let patience = config.earlyStoppingPatience, let accuracy = validationAccuracy {
                if best == nil || accuracy > best!.accuracy { best = (accuracy, epoch + 1, model.snapshot()) }
                if epoch + 1 - best!.epoch >= patience { status = .stoppedEarly; break epochs }
            }
        }
        if let best, status != .diverged { model.restore(best.weights) }
        return TrainingReport(status: status, epochs: records, bestEpoch: status == .diverged ? nil : best?.epoch, steps: steps,
                              trainingFLOPs: Double(model.trainingFLOPsPerSample) * Double(samplesSeen),
                              seconds: monotonicSeconds() - started)
    }

    /// One optimisation step on a batch (each sample weighted by `weights` when given); returns
    /// the batch's weighted mean loss.
    public func step(_ images: Tensor, _ labels: UnsafeBufferPointer<Int32>, weights: UnsafeBufferPointer<Float>? = nil,
                     learningRate: Float) -> Float {
        fw_flush_denormals_to_zero()
        model.arena.zeroGradients()
        let logits = model.forward(images, mode: .training)
        let value = loss.evaluate(logits: logits, labels: labels, weights: weights, computeGradient: true)
        guard value.isFinite else { return value }
        model.backward(loss.gradient)
        optimizer.step(model.arena, learningRate: learningRate)
        return value
    }

    private func checkFits(_ data: LabeledImages, _ role: String) throws {
        guard data.sampleShape == model.inputShape else {
            throw EngineError.shapeMismatch("\(role) images are \(data.sampleShape) but the model takes \(model.inputShape)")
        }
        guard data.classes == model.outputShape[0] else {
            throw EngineError.shapeMismatch("\(role) data has \(data.classes) classes but the model outputs \(model.outputShape[0])")
        }
        try require(data.count > 0, "\(role) set is empty")
    }
}

/// Rows of `probabilities` (N, K) whose arg-max equals the label.
func countCorrect(_ probabilities: Tensor, _ labels: UnsafeBufferPointer<Int32>) -> Int {
    let k = probabilities.shape[1]
    var correct = 0
    for row in 0..<labels.count where argmax(probabilities.pointer + row * k, count: k) == Int(labels[row]) { correct += 1 }
    return correct
}

/// Index of the largest of `count` values (the first, on ties).
@inline(__always)
func argmax(_ x: UnsafePointer<Float>, count: Int) -> Int {
    var best = 0
    for j in 1..<count where x[j] > x[best] { best = j }
    return best
}

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
