import Engine
import Foundation
import Store
import Testing
@testable import Harness

/// Experiment files: decoding, validation messages that name the key and line, overrides, plans.
@Suite struct ExperimentConfigTests {
    static let valid = """
        name: defect-ablation
        seeds: [1, 2]
        dataset:
          scenario: steel-defects
          image_size: 32
          per_class: {train: 60, val: 20, test: 100}
          noise: {model: annotator-conventions, annotators: 3, slip: 0.05}
        baseline:
          model: cnn-small
          train: {epochs: 20, batch: 32, optimizer: sgd, lr: 0.02, momentum: 0.9, weight_decay: 5e-4}
        arms:
          model-centric:
            variants: [cnn-wide, resnet-8, {train.optimizer: adam, train.lr: 1e-3}, {train.epochs: 60}]

        """

    private func write(_ text: String) -> String {
        let path = NSTemporaryDirectory() + "flywheel-exp-\(UUID().uuidString.prefix(8)).yaml"
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    private func error(_ text: String, overrides: [String] = []) -> String {
        let path = write(text)
        do { _ = try ExperimentConfig.load(path, overrides: overrides); return "no error" } catch {
            return "\(error)".replacingOccurrences(of: path, with: "FILE")
        }
    }

    @Test func aValidFileDecodes() throws {
        let config = try ExperimentConfig.load(write(Self.valid))
        #expect(config.name == "defect-ablation")
        #expect(config.seeds == [1, 2])
        #expect(config.data.scenario == "steel-defects" && config.data.imageSize == 32 && config.data.perClass.validation == 20)
        #expect(config.data.noise == .annotatorConventions(annotators: 3, strength: 1, ambiguity: 0, slip: 0.05))
        #expect(config.baseline.recipe.training.optimizer.weightDecay == 5e-4)
        #expect(config.modelCentric.map(\.name) == ["cnn-wide", "resnet-8", "train.optimizer=adam,train.lr=1e-3", "train.epochs=60"])
        #expect(config.modelCentric[2].recipe.training.optimizer.kind == .adam)
        #expect(config.modelCentric[2].recipe.training.learningRate == 1e-3)
        #expect(config.modelCentric[2].recipe.architecture == .cnnSmall)
        #expect(config.modelCentric[3].recipe.training.epochs == 60)
        #expect(config.modelCentric[3].recipe.training.learningRate == 0.02)
    }

    @Test(arguments: [
        ("per_class: {train: 60, val: 20, test: 100}", "per_class: {train: -5, val: 20, test: 100}",
         "dataset.per_class.train: expected a positive integer, got -5 (FILE line 6)"),
        ("image_size: 32", "image_sise: 32", "dataset.image_sise: unknown key; allowed here: scenario, path, image_size, min_severity, per_class, noise, drift, imbalance, verify, val_fraction, stable_splits (FILE line 5)"),
        ("lr: 0.02", "lr: fast", "baseline.train.lr: expected a learning rate in (0, 10], got fast (FILE line 10)"),
        ("scenario: steel-defects", "scenario: steel", "dataset.scenario: expected one of steel-defects, solar-cells, surface-inspection, got 'steel' (FILE line 4)"),
        ("seeds: [1, 2]", "seeds: []", "seeds: expected at least one seed, got an empty list (FILE line 2)"),
        ("seeds: [1, 2]", "seeds: [1, 1]", "seeds: each seed may appear once (FILE line 2)"),
        ("scenario: steel-defects", "path: no/such.h5", "dataset.path: file no/such.h5 does not exist (FILE line 4)"),
        ("model: cnn-small", "model: vgg", "baseline.model: expected one of cnn-small, cnn-wide, cnn-deep, resnet-8, resnet-18, got 'vgg' (FILE line 9)"),
        ("{train.epochs: 60}", "{train.epochs: 0}", "arms.model-centric.variants[3].train.epochs: expected a positive integer, got 0 (FILE line 13)"),
        ("model-centric:", "data-centrik:", "arms.data-centrik: unknown key; allowed here: model-centric, data-centric, review-curve (FILE line 12)"),
        ("model-centric:", "review-curve: {fractions: [0.3, 0.1]}\n  model-centric:",
         "arms.review-curve.fractions: expected at least one fraction, ascending, each once (FILE line 12)"),
        ("model-centric:", "review-curve: {fractions: [0.1, 1]}\n  model-centric:",
         "arms.review-curve.fractions[1]: expected a fraction in (0, 1), got 1 (FILE line 12)"),
        ("model-centric:", "review-curve: {fractions: [0.1], reviewer: human}\n  model-centric:",
         "arms.review-curve.reviewer: expected one of gold, consistent, same-annotators, got 'human' (FILE line 12)"),
        ("slip: 0.05}", "slip: 1.5}", "dataset.noise.slip: expected a slip rate in [0, 1], got 1.5 (FILE line 7)"),
    ])
    func badFilesNameTheKeyAndLine(original: String, replacement: String, expected: String) {
        #expect(error(Self.valid.replacingOccurrences(of: original, with: replacement)) == expected)
    }

    @Test func costsDefaultAndOverride() throws {
        #expect(try ExperimentConfig.load(write(Self.valid)).costs == CostSchedule())
        let priced = try ExperimentConfig.load(write(Self.valid), overrides: ["costs={per_new_label: 3}"]).costs
        #expect(priced.perNewLabel == 3 && priced.perLabelReviewed == CostSchedule().perLabelReviewed)
        #expect(error(Self.valid, overrides: ["costs={per_label: 1}"]).contains("costs.per_label: unknown key"))
    }

    @Test func theNoiseRobustLossIsAVariantLikeAnyOther() throws {
        let config = try ExperimentConfig.load(write(Self.valid), overrides: [
            "arms.model-centric.variants=[{train.loss: generalized-cross-entropy}, {train.loss: generalized-cross-entropy, train.gce_r: 0.4}]"])
        #expect(config.modelCentric.map(\.recipe.training.generalizedCrossEntropy) == [0.7, 0.4])
        #expect(config.baseline.recipe.training.generalizedCrossEntropy == 0)
        #expect(error(Self.valid, overrides: ["baseline.train.gce_r=0.5"]).contains("baseline.train.gce_r: set only with loss: generalized-cross-entropy"))
        #expect(error(Self.valid, overrides: ["baseline.train.loss=generalized-cross-entropy", "baseline.train.label_smoothing=0.1"])
            .contains("label smoothing and the generalized cross-entropy do not combine"))
    }

    /// Photometric jitter is a model lever like flips: on with its defaults, with amounts of its own, and
    /// absent from the recipe (and so from every trial id) when the file does not ask for it.
    @Test func photometricJitterIsAVariantLikeAnyOther() throws {
        let config = try ExperimentConfig.load(write(Self.valid), overrides: [
            "arms.model-centric.variants=[{train.photometric: true}, {train.photometric: {brightness: 0.05}}, {train.photometric: false}]"])
        #expect(config.modelCentric.map(\.recipe.training.photometric) == [PhotometricJitter(), PhotometricJitter(brightness: 0.05, contrast: 0.2), nil])
        #expect(config.baseline.recipe.training.photometric == nil)
        #expect(!String(decoding: try JSONEncoder().encode(config.baseline.recipe), as: UTF8.self).contains("photometric"))
        #expect(error(Self.valid, overrides: ["baseline.train.photometric={contrast: 1.5}"])
                .contains("baseline.train.photometric.contrast: expected a contrast change in [0, 1), got 1.5"))
    }
    /// The per-epoch validation curve is asked for in the recipe; absent (and so from every trial id)
    /// unless asked for, so the trials of files written before it keep their ids.
    @Test func theValidationCurveIsAskedForInTheRecipe() throws {
        let config = try ExperimentConfig.load(write(Self.valid), overrides: [
            "baseline.train.validation_curve=true", "arms.model-centric.variants=[{train.validation_curve: false}]"])
        #expect(config.baseline.recipe.training.validationCurve == true && config.baseline.recipe.training.scoresValidationEachEpoch)
        #expect(config.modelCentric.map(\.recipe.training.validationCurve) == [nil])
        #expect(!String(decoding: try JSONEncoder().encode(config.modelCentric[0].recipe), as: UTF8.self).contains("validation"))
        #expect(error(Self.valid, overrides: ["baseline.train.validation_curve=7"]).contains("baseline.train.validation_curve"))
    }


    /// The levers against a change of condition are recipe keys, absent from every trial id unless asked for.
    @Test func driftLeversAreVariantsLikeAnyOther() throws {
        let config = try ExperimentConfig.load(write(Self.valid), overrides: [
            "arms.model-centric.variants=[{normalize: per-image}, {model: resnet-8, adapt_batch_norm: 96}]", "dataset.per_class.pool=20"])
        #expect(config.modelCentric.map(\.recipe.standardizesInput) == [true, nil])
        #expect(config.modelCentric.map(\.recipe.batchNormAdaptationImages) == [nil, 96])
        let baseline = String(decoding: try JSONEncoder().encode(config.baseline.recipe), as: UTF8.self)
        #expect(!baseline.contains("standardizesInput") && !baseline.contains("batchNormAdaptation"))
        #expect(error(Self.valid, overrides: ["baseline.normalize=z-score"])
                .contains("baseline.normalize: expected one of none, per-image, got 'z-score'"))
        #expect(error(Self.valid, overrides: ["baseline.adapt_batch_norm=1"]).contains("baseline.adapt_batch_norm: expected a number of unlabelled pool images, at least 2"))
    }

    /// `stable_splits` and the imbalance's `splits` are recorded only when set, so earlier trial ids stay.
    @Test func stableSplitsAndUnthinnedPoolAreOptIn() throws {
        let plain = try ExperimentConfig.load(write(Self.valid))
        #expect(plain.data.stableSplits == nil && plain.data.shift.thinnedSplits == nil)
        #expect(!String(decoding: try JSONEncoder().encode(plain.data), as: UTF8.self).contains("stable"))
        let config = try ExperimentConfig.load(write(Self.valid), overrides: [
            "dataset.stable_splits=true", "dataset.imbalance={classes: [crazing], ratio: 10, splits: [train, val]}"])
        #expect(config.data.stableSplits == true && config.data.shift.thinnedSplits == [.train, .validation])
        #expect(error(Self.valid, overrides: ["dataset.imbalance={classes: [crazing], ratio: 10, splits: [test]}"])
                .contains("dataset.imbalance.splits[0]: expected one of train, val, pool, got 'test'"))
    }

    @Test func overridesAreValidatedLikeTheFile() throws {
        let path = write(Self.valid)
        let config = try ExperimentConfig.load(path, overrides: ["seeds=[3,4,5]", "baseline.train.epochs=5", "dataset.noise.slip=0.1"])
        #expect(config.seeds == [3, 4, 5])
        #expect(config.baseline.recipe.training.epochs == 5)
        #expect(config.modelCentric[2].recipe.training.epochs == 5)   // variants build on the overridden baseline
        #expect(config.data.noise == .annotatorConventions(annotators: 3, strength: 1, ambiguity: 0, slip: 0.1))
        #expect(error(Self.valid, overrides: ["baseline.train.epochs=-1"])
                == "baseline.train.epochs: expected a positive integer, got -1 (override baseline.train.epochs line 1)")
        #expect(error(Self.valid, overrides: ["baseline.train.epoch=3"])
                == "baseline.train.epoch: unknown key; allowed here: epochs, batch, optimizer, lr, momentum, nesterov, weight_decay, label_smoothing, schedule, warmup_epochs, early_stopping, validation_curve, flips, loss, gce_r, sample_weights, oversample, photometric (override baseline.train.epoch line 1)")
        #expect(error(Self.valid, overrides: ["seeds"]) == "override 'seeds': expected key.path=value")
    }

    @Test func planIdsAreStableAndDistinct() throws {
        let path = write(Self.valid)
        let plan = try ExperimentConfig.load(path).plan
        #expect(plan.count == 2 * 5)
        #expect(Set(plan.map(\.id)).count == plan.count)
        #expect(plan.map(\.id) == (try ExperimentConfig.load(write(Self.valid)).plan.map(\.id)))   // same config, another file
        #expect(plan.filter { $0.arm == .baseline }.map(\.seed) == [1, 2])
        // Changing anything a trial depends on changes its id; the other seed's trials keep theirs.
        // (The variant that sets its own epochs resolves to the same config, so it keeps its id.)
        let longer = try ExperimentConfig.load(path, overrides: ["baseline.train.epochs=21"]).plan
        let unchanged = Set(longer.map(\.id)).intersection(plan.map(\.id))
        #expect(unchanged == Set(plan.filter { $0.variant.name == "train.epochs=60" }.map(\.id)))
        let moreSeeds = try ExperimentConfig.load(path, overrides: ["seeds=[1,2,3]"]).plan
        #expect(Set(plan.map(\.id)).isSubset(of: moreSeeds.map(\.id)))
        #expect(plan[0].id.hasPrefix("baseline-s1-"))
    }
}

/// The data-centric arm: steps decoded by name, validated, planned once per seed.
@Suite struct DataCentricConfigTests {
    private func load(_ steps: String) throws -> ExperimentConfig {
        let text = ExperimentConfigTests.valid + "  data-centric:\n    steps:\n" + steps
        let path = NSTemporaryDirectory() + "flywheel-exp-\(UUID().uuidString.prefix(8)).yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try ExperimentConfig.load(path)
    }

    @Test func stepsAreDecodedAndPlannedOncePerSeed() throws {
        let config = try load("      - augment: {flips: true, rot90: true}\n")
        #expect(config.dataCentric?.name == "augment")
        let trials = config.plan.filter { $0.arm == .dataCentric }
        #expect(trials.map(\.seed) == [1, 2])
        #expect(trials[0].variant.recipe == config.baseline.recipe)   // the model stays the baseline's
        // The resolved config lists the step with every option, the defaults too.
        for option in ["\"augment\" : {", "\"horizontalFlip\" : true", "\"rotations\" : true", "\"verticalFlip\" : false", "\"inLoop\" : false"] {
            #expect(trials[0].resolvedConfig.contains(option), "\(option) in \(trials[0].resolvedConfig)")
        }
    }

    @Test func unknownStepsAndOptionsAreNamed() {
        #expect(throws: ConfigError.self) { try load("      - relabell: {budget: 0.2}\n") }
        do { _ = try load("      - relabell: {budget: 0.2}\n") } catch {
            #expect("\(error)".hasPrefix("arms.data-centric.steps[0].relabell: unknown data step; available: label-issues, relabel, prune, consensus, collect, augment, dedup, active-learning ("))
        }
        do { _ = try load("      - augment: {flips: false}\n") } catch {
            #expect("\(error)".hasPrefix("arms.data-centric.steps[0].augment: expected at least one of flips, vflips, rot90 to be true"))
        }
        #expect(throws: ConfigError.self) { try load("      - augment: {rot90: true, in_loop: true}\n") }
        do { _ = try load("      - augment: {rot90: true, in_loop: true}\n") } catch {
            #expect("\(error)".hasPrefix("arms.data-centric.steps[0].augment.rot90: in_loop augmentation flips only; drop rot90 or in_loop"))
        }
    }
}
