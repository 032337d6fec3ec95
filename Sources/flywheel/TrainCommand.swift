import ArgumentParser
import Datasets
import Engine
import Foundation
import Harness
import Store

/// `flywheel train DATASET.h5`: one model, one dataset, one result.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train one model on a dataset file and score it on the test split.",
        discussion: """
            Trains on the train split (labels as delivered), reports validation accuracy each epoch, and \
            scores the final model on the test split against gold labels (delivered labels where gold is \
            unknown). With --out, writes the trial as an HDF5 results file (docs/results-schema.md).

            Example:
              flywheel data generate steel-defects --out steel.h5 --per-class train=100,val=30,test=100
              flywheel train steel.h5 --model cnn-small --epochs 20 --seed 1
            """)

    @Argument(help: "Dataset HDF5 file.")
    var dataset: String

    @Option(help: "Model.")
    var model = Architecture.cnnSmall

    @Option(help: "Epochs.")
    var epochs = 20

    @Option(help: "Minibatch size.")
    var batch = 32

    @Option(help: "Optimizer.")
    var optimizer = OptimizerKind.sgd

    @Option(help: "Learning rate.")
    var lr: Float = 0.02

    @Option(help: "Seed of initialisation and shuffling.")
    var seed: UInt64 = 1

    @Option(help: "Engine threads.")
    var threads = 1

    @Option(help: "Write the trial to this HDF5 file (must not exist).")
    var out: String?

    @Flag(help: "Print nothing but the final line.")
    var quiet = false

    func run() throws {
        if let out { try requireNewOutputFile(out) }
        let data = try Dataset.load(from: dataset)
        let started = Date()
        Parallelism.set(threads: threads)
        let spec = ModelSpec(architecture: model, inputChannels: data.channels, imageSize: data.height, classes: data.classNames.count)
        let network = try spec.build(seed: seed)
        var config = TrainingConfig()
        config.epochs = epochs; config.batchSize = batch; config.learningRate = lr; config.shuffleSeed = seed &+ 1
        config.optimizer = OptimizerSettings(kind: optimizer, momentum: optimizer == .sgd ? 0.9 : 0)
        let train = try data.labeledImages(data.indices(in: .train))
        let validationIndices = data.indices(in: .validation)
        let validation = validationIndices.isEmpty ? nil : try data.labeledImages(validationIndices)
        let testIndices = data.indices(in: .test)
        let hasGold = testIndices.allSatisfy { data.gold[$0] >= 0 }
        let test = try data.labeledImages(testIndices, gold: hasGold)
        let report = try Trainer(model: network, config: config).fit(train, validation: validation) { record in
            guard !quiet else { return }
            print(String(format: "epoch %3d  loss %.4f  train %.3f  val %@", record.epoch, record.trainLoss, record.trainAccuracy,
                         record.validationAccuracy.map { String(format: "%.3f", $0) } ?? "-"))
        }
        let scores = evaluate(model: network, on: test)
        print(String(format: "%@ on %@: test accuracy %.4f (%@ labels), macro-F1 %.4f, %@, %.1f s", model.rawValue, dataset, scores.accuracy,
                     hasGold ? "gold" : "delivered", scores.macroF1, report.status.rawValue, report.seconds))
        if let out { try writeTrial(to: out, data: data, report: report, scores: scores, validation: validation, started: started, network: network) }
    }

    private func writeTrial(to path: String, data: Dataset, report: TrainingReport, scores: Evaluation, validation: LabeledImages?,
                            started: Date, network: Sequential) throws {
        let iso = ISO8601DateFormatter()
        let config = "dataset: \(dataset)\nmodel: \(model.rawValue)\nepochs: \(epochs)\nbatch: \(batch)\noptimizer: \(optimizer.rawValue)\nlr: \(lr)\nseed: \(seed)\n"
        var record = TrialRecord(trialID: (path as NSString).lastPathComponent.replacingOccurrences(of: ".h5", with: ""),
                                 experiment: "train", arm: "single", variant: model.rawValue, seed: Int64(seed),
                                 status: .failed, config: config, gitCommit: RuntimeVersions.flywheelCommit,
                                 versions: RuntimeVersions.all, startedAt: iso.string(from: started), finishedAt: iso.string(from: Date()),
                                 wallSeconds: report.seconds, trainFLOPs: 0, classNames: data.classNames)
        record.platform = RuntimePlatform.current(threads: Parallelism.workers)
        record.record(training: report, test: scores,   // sets status and FLOPs
                      validationAccuracy: validation.map { evaluate(model: network, on: $0).accuracy },
                      model: network)
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        let written = try TrialFile.write(record, to: folder.isEmpty ? "." : folder)
        print("wrote \(written)")
    }
}
