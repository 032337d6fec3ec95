import Harness
import Store
import Testing

/// Arms priced in one cost unit: labels reviewed, new labels and CPU-hours, steps counted once
/// per seed even when sub-arms repeat them.
@Suite struct CostTests {
    private func trial(_ arm: Arm, _ variant: String, seed: Int64, test: Double, validation: Double, wallSeconds: Double,
                       steps: [StepRecord] = []) -> TrialRecord {
        var r = TrialRecord(trialID: "\(arm.rawValue)-\(variant)-\(seed)", experiment: "priced", arm: arm, variant: variant, seed: seed,
                            status: .completed, config: "", gitCommit: "abc", versions: [:], startedAt: "", finishedAt: "",
                            wallSeconds: wallSeconds, trainFLOPs: 1e12, classNames: ["a", "b"])
        r.platform = ["threads": "2"]
        var costs = CostSchedule()
        costs.perLabelReviewed = 0.5; costs.perNewLabel = 2; costs.perCPUHour = 0.1
        r.costs = costs
        r.inferenceFLOPs = 1e6
        r.curation = steps
        r.metrics = TrialMetrics(accuracy: test, macroF1: test, recall: [test, test], precision: [test, test],
                                 confusion: [[1, 0], [0, 1]], validationAccuracy: validation)
        return r
    }

    @Test func theDataArmPaysForItsStepsOncePerSeedAndForEveryTrialsCompute() throws {
        let fixes = StepRecord(name: "relabel", effort: Effort(reviewed: 10))
        let collection = StepRecord(name: "collect", effort: Effort(collected: 4, annotations: 4))
        var records: [TrialRecord] = []
        for seed: Int64 in [1, 2] {
            records += [trial(.baseline, "baseline", seed: seed, test: 0.6, validation: 0.5, wallSeconds: 1800),
                        trial(.dataCentric, "relabel", seed: seed, test: 0.7, validation: 0.6, wallSeconds: 1800, steps: [fixes]),
                        trial(.dataCentric, "relabel+collect", seed: seed, test: 0.8, validation: 0.7, wallSeconds: 1800, steps: [fixes, collection])]
        }
        let analysis = ExperimentAnalysis(records: records)
        let data = try #require(analysis.arm(.dataCentric))
        #expect(data.stepEffort == Effort(reviewed: 20, collected: 8, annotations: 8), "the whole recipe's ledger, once per seed")
        #expect(abs(data.cpuHours - 4) < 1e-12, "four trials of half an hour on two threads")
        // Per seed: 10 reviewed × 0.5 + 4 new labels × 2 + 2 CPU-hours × 0.1.
        #expect(abs(analysis.costPerSeed(of: data) - 13.2) < 1e-9)
        #expect(abs(analysis.costPerSeed(of: try #require(analysis.arm(.baseline))) - 0.1) < 1e-9)
    }
}
