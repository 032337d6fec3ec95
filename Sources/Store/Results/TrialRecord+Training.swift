import Engine

extension TrialRecord {
    /// Fills in what a training run produced: status, FLOPs, test metrics (with the final
    /// model's validation accuracy), per-epoch curves, weights and test probabilities.
    public mutating func record(training report: TrainingReport, test: Evaluation, validationAccuracy: Double?, model: Sequential,
                                verifiedValidationAccuracy: Double? = nil) {
        status = report.status == .diverged ? .diverged : .completed
        trainFLOPs = report.trainingFLOPs
        inferenceFLOPs = Double(model.inferenceFLOPsPerSample)
        metrics = TrialMetrics(accuracy: test.accuracy, macroF1: test.macroF1, recall: test.recall, precision: test.precision,
                               confusion: test.confusion, validationAccuracy: validationAccuracy,
                               verifiedValidationAccuracy: verifiedValidationAccuracy)
        curves = TrialCurves(trainLoss: report.epochs.map(\.trainLoss), trainAccuracy: report.epochs.map(\.trainAccuracy),
                             validationAccuracy: report.epochs.map { $0.validationAccuracy ?? .nan },
                             learningRate: report.epochs.map(\.learningRate))
        weights = model.weightTensors
        predictions = test.probabilities
    }
}
