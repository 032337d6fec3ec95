import Store

extension ExperimentConfig {
    /// The report seeds the plan covers: all of `seeds`; with the sequential rule
    /// (`analysis.sequential`), the first `start`, then `step` more after each look at which
    /// data − model — the primary comparison — is still inconclusive, up to `max`. A look is taken
    /// once every trial the comparison reads (baseline, model-centric with its stacks,
    /// data-centric) has finished on every seed in play; its level is the look's share of α
    /// (`AnalysisPlan.alpha(atSeeds:)`).
    func seedsInPlay(_ done: [String: TrialRecord]) -> [Int] {
        guard let design = analysisPlan.sequential else { return seeds }
        var count = design.start
        while count < design.maximum {
            let inPlay = Array(seeds.prefix(count))
            guard let decision = primaryDecision(seeds: inPlay, done: done), decision.verdict == .inconclusive else { return inPlay }
            count = design.looks.first { $0 > count } ?? design.maximum
        }
        return Array(seeds.prefix(design.maximum))
    }

    /// Data − model's decision over `seeds`, once every trial it reads has finished (nil before).
    private func primaryDecision(seeds: [Int], done: [String: TrialRecord]) -> Decision? {
        let arms: Set<Arm> = [.baseline, .modelCentric, .dataCentric]
        var reads: [Trial] = []
        for seed in seeds {
            let fixed = fixedTrials(seed: seed).filter { arms.contains($0.arm) }
            reads += fixed + stackTrials(seed: seed, singles: fixed.filter { $0.arm == .baseline || $0.arm == .modelCentric }, done: done)
        }
        guard reads.allSatisfy({ done[$0.id] != nil }) else { return nil }
        return ExperimentAnalysis(records: reads.compactMap { done[$0.id] }).dataMinusModel?.judgement.decision
    }
}
