import Curation
import Datasets
import Engine
import Foundation
import Store

/// Runs one trial: improves the seed's data when the trial has data steps, trains the trial's
/// recipe, scores it on the gold-labelled test set, and returns the record to store. Errors
/// become `failed` records.
struct TrialExecutor {
    let experiment: ExperimentConfig
    /// Where a human review CSV goes (`results/NAME/reviews`).
    let reviewFolder: String
    /// The data steps' results shared by this run's trials.
    let cache = CurationCache()

    /// - Parameter onEpoch: called after every epoch of the trial's final training.
    func run(_ trial: Trial, data: Dataset, onEpoch: (EpochRecord) -> Void = { _ in }) -> TrialRecord {
        let started = Date()
        var record = TrialRecord.starting(trialID: trial.id, experiment: experiment.name, arm: trial.arm, variant: trial.variant.name,
                                          seed: Int64(trial.seed), config: trial.resolvedConfig, classNames: data.classNames, at: started)
        record.experimentSHA256 = experiment.fileSHA256
        record.experimentOverrides = experiment.overrides.joined(separator: " ")
        record.costs = experiment.costs
        record.analysisPlan = experiment.analysisPlan
        var waited = 0.0
        do {
            let (improved, recipe) = try prepare(data, for: trial, recording: &record, waited: &waited)
            record.record(try ScoredTraining(recipe: recipe, data: improved, seed: UInt64(trial.seed),
                                             verified: try experiment.verifiedValidation(of: data, seed: trial.seed), onEpoch: onEpoch))
        } catch {
            record.error = "\(error)"
        }
        // Time spent waiting for another trial's data steps is that trial's compute, not this one's.
        record.finish(startedAt: started.addingTimeInterval(waited))
        return record
    }

    /// The data and recipe the trial's model trains from: as delivered for the baseline and the
    /// model-centric variants; after the data steps (each one's record appended to `record`),
    /// which hold the baseline's recipe fixed, for the data-centric and data-then-model arms —
    /// with the in-loop flips the steps asked for added to the trial's own recipe.
    /// Steps another trial of the run already applied to the same seed come from `cache`.
    private func prepare(_ data: Dataset, for trial: Trial, recording record: inout TrialRecord, waited: inout Double) throws -> (Dataset, Recipe) {
        guard !trial.steps.isEmpty else { return (data, trial.variant.recipe) }
        var state: CurationCache.State = (CurationContext(data: data, seed: trial.seed, recipe: trial.stepRecipe,
                                                          annotation: try experiment.labelNoise(classNames: data.classNames),
                                                          reviewFolder: reviewFolder), [])
        precondition(trial.steps.count == trial.stepTexts.count, "a trial's steps and their texts must pair up")
        for (step, key) in zip(trial.steps, trial.curationKeys) {
            state = try cache.state(for: key, waited: &waited) { [state] in
                var (context, records) = state
                records.append(try step.apply(to: &context))
                return (context, records)
            }
        }
        record.curation += state.records
        var recipe = trial.variant.recipe
        recipe.training.randomFlips.formUnion(state.context.inLoopFlips)
        return (state.context.data, recipe)
    }
}
