import Curation
import Datasets
import Engine
import Harness
import Store

extension Audit {
    /// The baseline at each of `fractions` of the training split (stratified, drawn per seed), then all of it.
    func learningCurve(_ data: Dataset, _ training: [Int], baseline: [AuditTrainer.Score], _ runs: SeededRuns) throws -> LearningCurve {
        var points: [LearningCurve.Point] = []
        for fraction in fractions.sorted() where fraction < 1 {
            let subsets = seeds.map { LearningCurve.stratifiedSubset(training, labels: data.delivered, fraction: fraction, seed: $0 &+ 1000) }
            let scores = try zip(seeds, subsets).map { seed, subset in
                try runs.trainer.score(recipe, on: data, samples: subset, seed: seed, what: "\(Int(100 * fraction))% of the training split, seed \(seed)")
            }
            points.append(LearningCurve.Point(fraction: fraction, size: subsets[0].count, accuracy: scores.map(\.accuracy), recall: scores.map(\.recall)))
        }
        points.append(LearningCurve.Point(fraction: 1, size: training.count, accuracy: baseline.map(\.accuracy), recall: baseline.map(\.recall)))
        return LearningCurve(points: points, floor: 0.5 / Double(runs.trainer.scoring.samples.count))
    }

    /// Every lever: measured by retraining with it applied, or projected from the learning curve.
    func measureLevers(_ data: Dataset, _ training: [Int], _ issues: LabelIssueSearch.Result, _ duplicates: DuplicateReport,
                       baseline: [AuditTrainer.Score], curve: LearningCurve, _ runs: SeededRuns) throws -> [Lever] {
        let base = baseline.map(\.accuracy)
        let measured = "retrained, \(seeds.count) seed\(seeds.count == 1 ? "" : "s")"
        func gains(_ scores: [AuditTrainer.Score]) -> [Double] { zip(scores, base).map { $0.accuracy - $1 } }
        func cpuCost(_ scores: [AuditTrainer.Score]) -> Double { scores.map(\.cpuSeconds).reduce(0, +) / Double(scores.count) / 3600 * costs.perCPUHour }
        var levers: [Lever] = []

        let flagged = issues.ranked, review = Double(flagged.count) * costs.perLabelReviewed
        let dropped = Set(flagged)
        let withoutFlagged = try runs.scores(recipe, data, training.filter { !dropped.contains($0) }, "without the flagged labels")
        levers.append(Lever(kind: .reviewLabels, action: "review the \(flagged.count) flagged labels; drop those found wrong (estimated: \(Lever.ReviewStandIn.dropFlagged.rawValue))",
                            gains: gains(withoutFlagged), cost: review + cpuCost(withoutFlagged), basis: measured, standIn: .dropFlagged))
        var relabelled = data
        for (sample, suggestion) in issues.suggestions { relabelled.delivered[sample] = Int32(suggestion.label) }
        let withSuggestions = try runs.scores(recipe, relabelled, training, "with the suggested labels")
        levers.append(Lever(kind: .reviewLabels, action: "review the \(flagged.count) flagged labels; correct those found wrong (estimated: \(Lever.ReviewStandIn.takeSuggestions.rawValue))",
                            gains: gains(withSuggestions), cost: review + cpuCost(withSuggestions), basis: measured, standIn: .takeSuggestions))

        levers.append(Lever(kind: .collectData, action: "collect and label as many images again (\(training.count))",
                            gains: curve.projectedGain, cost: Double(training.count) * costs.perNewLabel,
                            basis: "projected from the learning curve (\(curve.points.map { "\(Int(100 * $0.fraction))%" }.joined(separator: ", ")))"))
        if let targeted = targetedCollection(data, training, curve, runs.trainer.scoring) { levers.append(targeted) }

        let redundant = duplicates.redundant
        if !redundant.isEmpty {
            let deduplicated = try runs.scores(recipe, data, training.filter { !redundant.contains($0) }, "without duplicates")
            levers.append(Lever(kind: .removeDuplicates, action: "remove \(redundant.count) redundant training copies",
                                gains: gains(deduplicated), cost: cpuCost(deduplicated), basis: measured))
        }
        for architecture in variants {
            var variant = recipe
            variant.architecture = architecture
            let scores = try runs.scores(variant, data, training, architecture.rawValue)
            levers.append(Lever(kind: .changeModel, action: "train \(architecture.rawValue) instead of \(recipe.architecture.rawValue)",
                                gains: gains(scores), cost: cpuCost(scores), basis: measured))
        }
        return levers
    }

    /// Doubling only the classes where the curve projects the largest recall gains (a third of
    /// the classes, at least one): each class's projected recall gain weighted by its share of
    /// the scored images; nil with one class.
    private func targetedCollection(_ data: Dataset, _ training: [Int], _ curve: LearningCurve, _ scoring: AuditScoring) -> Lever? {
        let k = data.classNames.count
        guard k > 1 else { return nil }
        let meanGain = curve.projectedClassGain.map { gains in gains.filter { !$0.isNaN }.reduce(0, +) / Double(max(gains.filter { !$0.isNaN }.count, 1)) }
        let chosen = (0..<k).sorted { meanGain[$0] > meanGain[$1] }.prefix(max(1, k / 3))
        let share = (0..<k).map { c in Double(scoring.labels.filter { $0 == Int32(c) }.count) / Double(scoring.labels.count) }
        let gains = seeds.indices.map { s in chosen.reduce(0.0) { total, c in
            let gain = curve.projectedClassGain[c][s]
            return total + (gain.isNaN ? 0 : share[c] * gain)
        } }
        let images = training.filter { chosen.contains(Int(data.delivered[$0])) }.count
        let names = chosen.map { data.classNames[$0] }.joined(separator: ", ")
        return Lever(kind: .collectData, action: "collect and label as many images again of \(names) (\(images))", gains: gains,
                     cost: Double(images) * costs.perNewLabel, basis: "projected from the per-class learning curves", classes: Array(chosen))
    }
}
