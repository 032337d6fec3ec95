import Engine

extension TrialRecord {
    /// Fills in what a training run produced: status, FLOPs, test metrics (with the final
    /// model's validation accuracy), per-epoch curves, weights and test probabilities.
    /// - Parameter validation: the final model's validation scores (accuracy and balanced accuracy,
    ///   as delivered and on the checked images), set on the metrics as given.
    public mutating func record(training report: TrainingReport, test: Evaluation, validation: TrialMetrics.Validation, model: Sequential) {
        status = report.status == .diverged ? .diverged : .completed
        trainFLOPs = report.trainingFLOPs
        inferenceFLOPs = Double(model.inferenceFLOPsPerSample)
        metrics = TrialMetrics(accuracy: test.accuracy, macroF1: test.macroF1, recall: test.recall, precision: test.precision,
                               confusion: test.confusion, validationAccuracy: validation.accuracy,
                               verifiedValidationAccuracy: validation.verifiedAccuracy, validationBalancedAccuracy: validation.balancedAccuracy,
                               verifiedValidationBalancedAccuracy: validation.verifiedBalancedAccuracy)
        curves = TrialCurves(trainLoss: report.epochs.map(\.trainLoss), trainAccuracy: report.epochs.map(\.trainAccuracy),
                             validationAccuracy: report.epochs.map { $0.validationAccuracy ?? .nan },
                             learningRate: report.epochs.map(\.learningRate))
        weights = model.weightTensors
        predictions = test.probabilities
    }
}
