import Harness
import Store
import Testing

/// The model-centric arm's choice per seed: best on validation, ties to the cheaper model, then
/// the baseline, and a tie left after that shared — never broken by a name.
@Suite struct ValidationChoiceTests {
    private func candidate(_ arm: Arm, _ variant: String, validation: Double, test: Double, inferenceFLOPs: Double,
                           trainFLOPs: Double = 1e12, seed: Int64 = 1) -> TrialRecord {
        var r = TrialRecord(trialID: "\(variant)-\(seed)", experiment: "demo", arm: arm, variant: variant, seed: seed, status: .completed,
                            config: "", gitCommit: "abc", versions: [:], startedAt: "", finishedAt: "", wallSeconds: 1,
                            trainFLOPs: trainFLOPs, classNames: ["a", "b"])
        r.inferenceFLOPs = inferenceFLOPs
        r.metrics = TrialMetrics(accuracy: test, macroF1: test, recall: [test, test], precision: [test, test],
                                 confusion: [[1, 0], [0, 1]], validationAccuracy: validation)
        return r
    }

    @Test func aTieOnValidationGoesToTheSmallerModelWhateverItsName() {
        let choice = ValidationChoice(among: [candidate(.baseline, "baseline", validation: 0.6, test: 0.60, inferenceFLOPs: 2e6),
                                              candidate(.modelCentric, "a-wide", validation: 0.7, test: 0.90, inferenceFLOPs: 8e6),
                                              candidate(.modelCentric, "z-deep", validation: 0.7, test: 0.65, inferenceFLOPs: 3e6)],
                                      maximising: { $0.metrics!.validationAccuracy! })
        #expect(choice.picked.map(\.variant) == ["z-deep"])
        #expect(choice.score == 0.65)
    }

    @Test func aTieBetweenEquallyCheapModelsGoesToTheCheaperTrainingThenTheBaseline() {
        let longer = candidate(.modelCentric, "a-longer", validation: 0.7, test: 0.9, inferenceFLOPs: 2e6, trainFLOPs: 3e12)
        let baseline = candidate(.baseline, "baseline", validation: 0.7, test: 0.6, inferenceFLOPs: 2e6)
        let adam = candidate(.modelCentric, "adam", validation: 0.7, test: 0.8, inferenceFLOPs: 2e6)
        #expect(ValidationChoice(among: [longer, adam, baseline], maximising: { $0.metrics!.validationAccuracy! }).picked.map(\.variant) == ["baseline"])
        #expect(ValidationChoice(among: [longer, adam], maximising: { $0.metrics!.validationAccuracy! }).picked.map(\.variant) == ["adam"])
    }

    @Test func candidatesTiedToTheEndShareTheSeed() throws {
        let records = [candidate(.baseline, "baseline", validation: 0.5, test: 0.5, inferenceFLOPs: 2e6),
                       candidate(.modelCentric, "adam", validation: 0.8, test: 0.70, inferenceFLOPs: 2e6),
                       candidate(.modelCentric, "smoothing", validation: 0.8, test: 0.80, inferenceFLOPs: 2e6)]
        let choice = ValidationChoice(among: records, maximising: { $0.metrics!.validationAccuracy! })
        #expect(abs(choice.score - 0.75) < 1e-12)
        #expect(choice.share(of: "adam") == 0.5 && choice.share(of: "smoothing") == 0.5 && choice.share(of: "baseline") == 0)
        let analysis = ExperimentAnalysis(records: records)
        #expect(analysis.variants.map(\.timesChosen) == [0, 0.5, 0.5])
        #expect(abs(try #require(analysis.arm(.modelCentric)).accuracy[1]! - 0.75) < 1e-12)
    }

    @Test func dataMinusModelIsThePairedDifferenceOfTheTwoArms() throws {
        var records: [TrialRecord] = []
        for (seed, (model, data)) in [(0.70, 0.80), (0.72, 0.71), (0.65, 0.90)].enumerated() {
            let s = Int64(seed + 1)
            records += [candidate(.baseline, "baseline", validation: 0.9, test: model, inferenceFLOPs: 2e6, seed: s),
                        candidate(.modelCentric, "wide", validation: 0.1, test: 0.99, inferenceFLOPs: 8e6, seed: s),
                        candidate(.dataCentric, "augment", validation: 0.5, test: data, inferenceFLOPs: 2e6, seed: s)]
        }
        let d = try #require(ExperimentAnalysis(records: records).dataMinusModel?.paired)
        #expect(d.difference.count == 3)
        #expect(abs(d.difference.mean - (0.10 - 0.01 + 0.25) / 3) < 1e-12)
        // scipy.stats.ttest_rel([0.80, 0.71, 0.90], [0.70, 0.72, 0.65]).pvalue
        #expect(abs(d.pValue - 0.27147) < 1e-4, "\(d.pValue)")
    }

    /// A noisy validation set prefers the model that learned the noise; the checked images prefer
    /// the one that did not. The arm uses the chooser the analysis plan names, and reports both
    /// choosers' regret against the best candidate on the gold test set, with the review charged.
    @Test func checkedValidationImagesChooseOtherwiseAndBothRegretsAreReported() throws {
        var records: [TrialRecord] = []
        for seed in Int64(1)...Int64(3) {
            var baseline = candidate(.baseline, "baseline", validation: 0.60, test: 0.60, inferenceFLOPs: 2e6, seed: seed)
            var noisy = candidate(.modelCentric, "learns-the-noise", validation: 0.80, test: 0.62, inferenceFLOPs: 2e6, seed: seed)
            var robust = candidate(.modelCentric, "robust", validation: 0.70, test: 0.75, inferenceFLOPs: 2e6, seed: seed)
            baseline.metrics!.verifiedValidationAccuracy = 0.60
            noisy.metrics!.verifiedValidationAccuracy = 0.55
            robust.metrics!.verifiedValidationAccuracy = 0.78
            var plan = AnalysisPlan(chooseOn: .verified)
            plan.checkedValidationImages = 40
            baseline.analysisPlan = plan; noisy.analysisPlan = plan; robust.analysisPlan = plan
            records += [baseline, noisy, robust]
        }
        let analysis = ExperimentAnalysis(records: records)
        let model = try #require(analysis.arm(.modelCentric))
        #expect(model.accuracy.values.allSatisfy { $0 == 0.75 })   // the checked images chose the robust model
        let regret = try #require(model.regret)
        #expect(abs(regret.delivered - 0.13) < 1e-12 && regret.verified == 0 && regret.seedsWhereTheyDiffer == 3)
        #expect(model.selectionEffort.reviewed == 3 * 40 && analysis.arm(.baseline)?.selectionEffort.reviewed == 0)
        // The same trials chosen on validation as delivered: the noisy model, 13 points worse.
        let delivered = ExperimentAnalysis(records: records.map { var r = $0; r.analysisPlan?.chooseOn = .delivered; return r })
        #expect(delivered.arm(.modelCentric)!.accuracy.values.allSatisfy { $0 == 0.62 })
    }
}
