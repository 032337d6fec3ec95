import Datasets
import Engine
import Foundation
import Store
import Testing
@testable import Harness

/// Transfer learning (`init: trial.h5`): a recipe starts from a trained model's weights but its
/// classifier, the weights' hash is part of every trial id, and a file whose weights do not fit or
/// whose pretraining saw the evaluated images is refused before anything runs.
@Suite struct PretrainedWeightsTests {
    private let folder = NSTemporaryDirectory() + "flywheel-init-\(UUID().uuidString.prefix(8))"

    /// Two steel data files of different seeds (no image in common), and a cnn-small trained on
    /// the first, written as a trial file whose config names its data as `flywheel train` does.
    private func setUp(_ architecture: Architecture = .cnnSmall) throws -> (pretraining: String, evaluated: String, weights: String) {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let counts = SplitCounts(train: 8, validation: 2, test: 2)
        let (pretraining, evaluated) = (folder + "/pretraining.h5", folder + "/evaluated.h5")
        if !FileManager.default.fileExists(atPath: evaluated) {
            try Scenarios.named("steel-defects").generate(imageSize: 16, perClass: counts, seed: 1).save(to: pretraining)
            try Scenarios.named("steel-defects").generate(imageSize: 16, perClass: counts, seed: 2).save(to: evaluated)
        }
        let model = try Recipe(architecture: architecture).model(inputChannels: 1, imageSize: 16, classes: 6, seed: 7)
        var record = TrialRecord.starting(trialID: "pretrained-\(architecture.rawValue)", experiment: "train", arm: .single, variant: architecture.rawValue, seed: 7,
                                          config: "dataset: \(pretraining)\nmodel: \(architecture.rawValue)\n", classNames: (0..<6).map { "c\($0)" }, at: Date())
        record.weights = model.weightTensors
        record.status = .completed
        return (pretraining, evaluated, try TrialFile.write(record, to: folder))
    }

    private func experiment(data: String, baseline: String) throws -> ExperimentConfig {
        let path = folder + "/experiment-\(UUID().uuidString.prefix(6)).yaml"
        try "name: transfer\nseeds: [1]\ndataset: {path: \(data)}\nbaseline: \(baseline)\n".write(toFile: path, atomically: true, encoding: .utf8)
        return try ExperimentConfig.load(path)
    }

    private func message(_ body: () throws -> Any) -> String {
        do { _ = try body(); return "no error" } catch { return "\(error)" }
    }

    @Test func theRecipeStartsFromEveryWeightButTheClassifier() throws {
        let (_, evaluated, weights) = try setUp()
        let config = try experiment(data: evaluated, baseline: "{model: cnn-small, init: \(weights)}")
        let pretrained = try #require(config.baseline.recipe.pretrained)
        #expect(pretrained.source == weights && pretrained.sha256.count == 64)
        let saved = Dictionary(uniqueKeysWithValues: try TrialFile.read(weights).weights.map { ("\($0.layer)/\($0.name)", $0.values) })
        let model = try config.baseline.recipe.model(inputChannels: 1, imageSize: 16, classes: 6, seed: 99)
        let classifier = model.layerNames[model.layers.lastIndex { !$0.parameters.isEmpty }!]
        #expect(model.weightTensors.count == saved.count)
        // Every tensor but the classifier's is the saved one; the classifier's kernel is the seed's own
        // (its bias starts at zero either way).
        for tensor in model.weightTensors where tensor.layer != classifier || tensor.name == "kernel" {
            #expect((tensor.values == saved["\(tensor.layer)/\(tensor.name)"]) == (tensor.layer != classifier), "\(tensor.layer)/\(tensor.name)")
        }
        // The weights' hash is in the resolved recipe, so the trial id differs from a random start's.
        let fresh = try experiment(data: evaluated, baseline: "{model: cnn-small}")
        #expect(try JSONEncoder().encode(config.baseline.recipe) != JSONEncoder().encode(fresh.baseline.recipe))
        #expect(String(decoding: try JSONEncoder().encode(config.baseline.recipe), as: UTF8.self).contains(pretrained.sha256))
    }

    /// `input_size` pools the stored images down before the network: the model at 8 px on 16-px data
    /// costs what the 8-px model costs; a resnet (global pooling, so resolution-free) takes weights
    /// trained at 16 px all the same, the pooling layer notwithstanding (layers are matched among
    /// those that hold tensors); a plain CNN cannot (its dense layer's size follows the resolution),
    /// and a size that does not divide is refused.
    @Test func theInputSizePoolsTheImagesAndKeepsTheWeightsMatchable() throws {
        let (_, evaluated, weights) = try setUp(.resnet8)
        let config = try experiment(data: evaluated, baseline: "{model: resnet-8, input_size: 8, init: \(weights)}")
        let pooled = try config.baseline.recipe.model(inputChannels: 1, imageSize: 16, classes: 6, seed: 3)
        #expect(pooled.layers.first?.kind == "avgpool2d")
        let small = try Recipe(architecture: .resnet8).model(inputChannels: 1, imageSize: 8, classes: 6, seed: 3)
        #expect(pooled.multiplyAccumulates == small.multiplyAccumulates)
        let saved = Dictionary(uniqueKeysWithValues: try TrialFile.read(weights).weights.map { ("\($0.layer)/\($0.name)", $0.values) })
        #expect(pooled.weightTensors.first { $0.name == "kernel" }?.values == saved["00_conv2d/kernel"])
        let (_, _, plainWeights) = try setUp(.cnnSmall)
        #expect(message { try experiment(data: evaluated, baseline: "{model: cnn-small, input_size: 8, init: \(plainWeights)}") }
            .contains("04_dense/kernel is [128, 256], the recipe's model needs [128, 64]"))
        #expect(message { try experiment(data: evaluated, baseline: "{model: cnn-small, input_size: 12}") }
                == "baseline: invalid option: input_size 12 must divide the 16-pixel images it is pooled from (e.g. 8)")
    }

    @Test func weightsThatDoNotFitOrSawTheEvaluatedImagesAreRefused() throws {
        let (pretraining, evaluated, weights) = try setUp()
        #expect(message { try experiment(data: pretraining, baseline: "{model: cnn-small, init: \(weights)}") }
                == "init: \(weights) was pretrained on \(pretraining), which holds 72 of the images of \(pretraining) (same pixels, by SHA-256); "
                    + "pretraining must never see the evaluated set")
        #expect(message { try experiment(data: evaluated, baseline: "{model: cnn-wide, init: \(weights)}") }
            .hasPrefix("baseline: shape mismatch: pretrained weights \(weights): 00_conv2d_relu_maxpool/kernel is [16, 1, 3, 3], the recipe's model needs [32, 1, 3, 3]"))
        #expect(message { try experiment(data: evaluated, baseline: "{model: cnn-small, init: \(folder)/nowhere.h5}") }
            .hasPrefix("baseline.init: \(folder)/nowhere.h5 is not a trial file with weights"))
    }
}
