import Harness
import Store
import Testing

/// `analysis.metric: balanced-accuracy`: the arms choose on validation's balanced accuracy and every
/// figure and verdict is on the test set's, where a model that ignores a rare class looks good on accuracy.
@Suite struct BalancedAccuracyAnalysisTests {
    /// Baseline: never answers the rare class (test 16 of 20 right, balanced 50%); the variant finds
    /// three of its four at the cost of two common images (17 of 20, balanced 81.25%), and validation
    /// prefers the baseline on accuracy, the variant on balanced accuracy.
    private func records(_ metric: ScoreMetric, balancedValidation: Bool = true) -> [TrialRecord] {
        (1...3).flatMap { (seed: Int64) -> [TrialRecord] in
            [record(.baseline, "baseline", seed: seed, confusion: [[16, 0], [4, 0]], validation: (0.8, 0.5), metric, balancedValidation),
             record(.modelCentric, "rare-aware", seed: seed, confusion: [[14, 2], [1, 3]], validation: (0.75, 0.8), metric, balancedValidation)]
        }
    }

    private func record(_ arm: Arm, _ variant: String, seed: Int64, confusion: [[Int]], validation: (Double, Double), _ metric: ScoreMetric,
                        _ balancedValidation: Bool) -> TrialRecord {
        var r = TrialRecord(trialID: "\(variant)-\(seed)", experiment: "rare", arm: arm, variant: variant, seed: seed, status: .completed,
                            config: "", gitCommit: "abc", versions: [:], startedAt: "", finishedAt: "", wallSeconds: 1, trainFLOPs: 1e12,
                            classNames: ["good", "defect"])
        r.metrics = TrialMetrics(accuracy: ScoreMetric.accuracy.value(confusion: confusion), macroF1: 0, recall: [], precision: [],
                                 confusion: confusion, validationAccuracy: validation.0,
                                 validationBalancedAccuracy: balancedValidation ? validation.1 : nil)
        r.analysisPlan = AnalysisPlan(metric: metric)
        return r
    }

    @Test func theArmsChooseAndAreJudgedOnBalancedAccuracy() throws {
        let onAccuracy = ExperimentAnalysis(records: records(.accuracy))
        #expect(abs(try #require(onAccuracy.arm(.modelCentric)).summary.mean - 0.8) < 1e-12, "validation's accuracy keeps the baseline")
        #expect(onAccuracy.testAccuracyLabel == "test accuracy")

        let balanced = ExperimentAnalysis(records: records(.balancedAccuracy))
        let modelCentric = try #require(balanced.arm(.modelCentric))
        #expect(balanced.arms[0].summary.mean == 0.5 && modelCentric.summary.mean == 0.8125)
        #expect(modelCentric.judgement?.decision.verdict == .better)
        #expect(balanced.variants.map(\.timesChosen) == [0, 3])
        #expect(abs(balanced.variants[1].validationAccuracy.mean - 0.8) < 1e-12, "the candidates table in the plan's metric")
        #expect(balanced.testAccuracyLabel == "test balanced accuracy")
    }

    /// Trials recorded before validation's balanced accuracy was kept cannot be chosen on it: named, left out.
    @Test func aTrialWithoutValidationBalancedAccuracyIsNamedNotChosenOnZero() {
        let analysis = ExperimentAnalysis(records: records(.balancedAccuracy, balancedValidation: false))
        #expect(analysis.arms.isEmpty)
        #expect(analysis.problems.count == 6 && analysis.problems[0].contains("recorded no validation balanced accuracy"))
        #expect(ExperimentAnalysis(records: records(.accuracy, balancedValidation: false)).problems.isEmpty)
    }
}
