import Curation
import Datasets
import Engine
import Foundation
import Store

/// Runs one trial: builds its model, trains on the seed's data as delivered, scores on the
/// gold-labelled test set, and returns the record to store. Errors become `failed` records.
struct TrialExecutor {
    let experiment: ExperimentConfig
    /// Where a human review CSV goes (`results/NAME/reviews`).
    let reviewFolder: String

    /// - Parameter onEpoch: called after every epoch of the trial's final training.
    func run(_ trial: Trial, data: Dataset, onEpoch: (EpochRecord) -> Void = { _ in }) -> TrialRecord {
        let started = Date()
        let iso = ISO8601DateFormatter()
        var record = TrialRecord(trialID: trial.id, experiment: experiment.name, arm: trial.arm, variant: trial.variant.name,
                                 seed: Int64(trial.seed), status: .failed, config: trial.resolvedConfig, gitCommit: RuntimeVersions.flywheelCommit,
                                 versions: RuntimeVersions.all, startedAt: iso.string(from: started), finishedAt: "",
                                 wallSeconds: 0, trainFLOPs: 0, classNames: data.classNames)
        record.platform = RuntimePlatform.current(threads: Parallelism.workers)
        do {
            let spec = trial.variant.spec
            var context = CurationContext(data: data, seed: trial.seed, model: spec.fixedModel, annotation: try experiment.labelNoise(classNames: data.classNames),
                                          reviewFolder: reviewFolder)
            for step in trial.steps { record.curation.append(try step.apply(to: &context)) }
            let data = context.data
            let model = try ModelSpec(architecture: spec.model, inputChannels: data.channels, imageSize: data.height,
                                      classes: data.classNames.count, dropout: spec.dropout).build(seed: UInt64(trial.seed))
            var training = context.model.training
            training.shuffleSeed = UInt64(trial.seed) &+ 1
            let train = try data.labeledImages(data.indices(in: .train))
            let validation = try data.labeledImages(data.indices(in: .validation))
            let test = try data.labeledImages(data.indices(in: .test), gold: data.gold.allSatisfy { $0 >= 0 })
            let report = try Trainer(model: model, config: training).fit(train, validation: validation, onEpoch: onEpoch)
            let scores = evaluate(model: model, on: test)
            record.record(training: report, test: scores, validationAccuracy: evaluate(model: model, on: validation).accuracy, model: model)
        } catch {
            record.error = "\(error)"
        }
        record.finishedAt = iso.string(from: Date())
        record.wallSeconds = Date().timeIntervalSince(started)
        return record
    }
}

extension ExperimentConfig {
    /// The data every trial of `seed` sees: the scenario drawn (or the file read) and the label
    /// noise applied, both from the seed.
    public func data(seed: Int) throws -> Dataset {
        var dataset: Dataset
        if let scenario = self.data.scenario {
            dataset = try Scenarios.named(scenario).generate(imageSize: self.data.imageSize, perClass: self.data.perClass, seed: UInt64(seed),
                                                             minSeverity: Float(self.data.minSeverity))
        } else {
            dataset = try Dataset.load(from: self.data.path!)
        }
        guard let noise = try labelNoise(classNames: dataset.classNames) else { return dataset }
        return try noise.apply(to: dataset, seed: UInt64(seed) &+ 0x5EED)
    }

    /// The annotation process that delivers the labels (nil for `noise: none`): also what
    /// "the same annotators" means to the data steps that buy more labels.
    /// - Throws: `ConfigError` when a pair names a class the data does not have.
    public func labelNoise(classNames: [String]) throws -> LabelNoise? {
        switch data.noise {
        case .none: return nil
        case .uniform(let rate): return .uniform(rate: rate)
        case .annotatorConventions(let annotators, let strength, let ambiguity, let slip, let named):
            let pairs = try named.map { try $0.map { pair -> (Int, Int) in
                let indices = try pair.map { name in
                    guard let index = classNames.firstIndex(of: name) else {
                        throw ConfigError("dataset.noise.pairs: unknown class '\(name)'; the data has \(classNames.joined(separator: ", "))")
                    }
                    return index
                }
                return (indices[0], indices[1])
            } } ?? (try data.scenario.map { try Scenarios.named($0).confusablePairs } ?? [])
            var conventions = AnnotatorConventions(annotators: annotators, pairs: pairs, strength: strength, slip: slip)
            conventions.ambiguityFloor = ambiguity
            return .annotatorConventions(conventions)
        }
    }
}
