import Foundation
import Store

/// A fresh empty folder under the system temporary directory.
func temporaryFolder(_ label: String = #function) -> String {
    let path = NSTemporaryDirectory() + "flywheel-store-\(label.filter { $0.isLetter })-\(UUID().uuidString.prefix(8))"
    try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// A complete trial record with every part filled in.
func sampleRecord(id: String = "t0001", seed: Int64 = 1, weights: [WeightTensor] = [], accuracy: Double = 0.8125) -> TrialRecord {
    var record = TrialRecord(trialID: id, experiment: "steel-defects", arm: .dataCentric, variant: "relabel-0.25", seed: seed,
                             status: .completed, config: "model: cnn-small\nseed: \(seed)\nnote: \"naïve ✓\"\n",
                             gitCommit: "0123456789abcdef", versions: ["flywheel": "0.1.0", "hdf5": "1.10.8"],
                             startedAt: "2026-11-29T03:00:00Z", finishedAt: "2026-11-29T03:00:05Z",
                             wallSeconds: 5.25, trainFLOPs: 1.5e12, classNames: ["crazing", "inclusion", "patches"])
    record.platform = ["openblas_core": "Haswell", "threads": "2", "cpu": "AMD EPYC"]
    record.metrics = TrialMetrics(accuracy: accuracy, macroF1: 0.79, recall: [0.9, 0.7, 0.85], precision: [0.8, 0.75, 0.9],
                                  confusion: [[9, 1, 0], [2, 7, 1], [0, 1, 9]], validationAccuracy: 0.77, verifiedValidationAccuracy: 0.8,
                                  validationBalancedAccuracy: 0.74, verifiedValidationBalancedAccuracy: 0.78)
    record.analysisPlan = AnalysisPlan(chooseOn: .verified, metric: .balancedAccuracy, margin: 0.03)
    record.curves = TrialCurves(trainLoss: [1.2, 0.8, 0.5], trainAccuracy: [0.5, 0.7, 0.85],
                                validationAccuracy: [0.45, 0.66, 0.77], learningRate: [0.02, 0.02, 0.01])
    record.curation = [StepRecord(name: "label-issues", effort: Effort(reviewed: 0, trainings: 2, trainFLOPs: 1.5e9), stored: StoredOutcome(values: ["flagged": 12, "precision": 0.75], indices: ["flagged": [3, 17, 40]])),
                       StepRecord(name: "relabel", stored: StoredOutcome(values: ["fixed": 9, "broken": 1]))]
    record.weights = weights
    record.predictions = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1]
    return record
}
