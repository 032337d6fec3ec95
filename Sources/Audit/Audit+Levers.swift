import Curation
import Datasets
import Engine
import Foundation
import Harness
import Store

extension Audit {
    /// The retrainings that need no label issues, queued longest first: each model variant, the
    /// baseline, each change of training, the de-duplicated set, then the learning curve's smaller training sets.
    struct Retrainings {
        let variants: [(architecture: Architecture, scores: SeededScores)]
        let trainingChanges: [(change: TrainingChange, scores: SeededScores)]
        let baseline: SeededScores
        let deduplicated: SeededScores?
        /// Per fraction of the training split (ascending), its trainings.
        let curve: [CurvePoint]
    }

    /// A smaller training set of the learning curve: a share of the training split, drawn per seed.
    struct CurvePoint {
        let fraction: Double
        /// Training images in each seed's subset.
        let size: Int
        let scores: SeededScores
    }

    /// The review stand-ins' retrainings, queued once the label issues are known.
    struct Reviews {
        let withoutFlagged: SeededScores
        let withSuggestions: SeededScores
    }

    func queueRetrainings(_ data: Dataset, _ training: [Int], _ duplicates: DuplicateReport, _ runs: SeededRuns) -> Retrainings {
        let variants = self.variants.map { architecture in
            var variant = recipe
            variant.architecture = architecture
            return (architecture, runs.queue(variant, data, training, architecture.rawValue))
        }
        let baseline = runs.queue(recipe, data, training, "baseline")
        let trainingChanges = self.trainingChanges.map { change in
            (change, runs.queue(change.applied(to: recipe), data, training, "changed \(change.rawValue)"))
        }
        let redundant = duplicates.redundant
        let deduplicated = redundant.isEmpty ? nil : runs.queue(recipe, data, training.filter { !redundant.contains($0) }, "without duplicates")
        let curve = fractions.filter { $0 < 1 }.sorted(by: >).map { fraction in
            let subsets = seeds.map { LearningCurve.stratifiedSubset(training, labels: data.delivered, fraction: fraction, seed: $0 &+ 1000) }
            return CurvePoint(fraction: fraction, size: subsets[0].count, scores: runs.queue(recipe, data, subsets, "\(Int(100 * fraction))% of the training split"))
        }
        return Retrainings(variants: variants, trainingChanges: trainingChanges, baseline: baseline, deduplicated: deduplicated, curve: curve.reversed())
    }

    func queueReviews(_ data: Dataset, _ training: [Int], _ issues: LabelIssueSearch.Result, _ runs: SeededRuns) -> Reviews {
        let dropped = Set(issues.ranked)
        var relabelled = data
        for (sample, suggestion) in issues.suggestions { relabelled.delivered[sample] = Int32(suggestion.label) }
        return Reviews(withoutFlagged: runs.queue(recipe, data, training.filter { !dropped.contains($0) }, "without the flagged labels"),
                       withSuggestions: runs.queue(recipe, relabelled, training, "with the suggested labels"))
    }

    /// The baseline at each of `fractions` of the training split (stratified, drawn per seed), then all of it.
    func learningCurve(_ curve: [CurvePoint], _ training: [Int], baseline: [AuditTrainer.Score], scoring: AuditScoring) throws -> LearningCurve {
        var points = try curve.map { point in
            let scores = try point.scores.convergedScores
            return LearningCurve.Point(fraction: point.fraction, size: point.size, accuracy: scores.map(\.accuracy), recall: scores.map(\.recall))
        }
        points.append(LearningCurve.Point(fraction: 1, size: training.count, accuracy: baseline.map(\.accuracy), recall: baseline.map(\.recall)))
        return LearningCurve(points: points, floor: 0.5 / Double(scoring.samples.count))
    }

    /// Every lever: measured by retraining with it applied, or projected from the learning curve.
    func measureLevers(_ data: Dataset, _ training: [Int], _ issues: LabelIssueSearch.Result, _ duplicates: DuplicateReport,
                       _ retrainings: Retrainings, _ reviews: Reviews, _ curve: LearningCurve, _ scoring: AuditScoring) throws -> [Lever] {
        let base = try retrainings.baseline.convergedScores.map(\.accuracy)
        let retrained = "retrained, \(seeds.count) seed\(seeds.count == 1 ? "" : "s")"
        func gains(_ scores: [AuditTrainer.Score]) -> [Double] { zip(scores, base).map { $0.accuracy - $1 } }
        /// "retrained, 3 seeds", and where a training with the lever diverged, on which seeds (left out).
        func measured(_ scores: [AuditTrainer.Score]) -> String { retrained + Self.divergenceNote(scores, seeds: seeds) }
        func cpuCost(_ scores: [AuditTrainer.Score]) -> Double { scores.map(\.cpuSeconds).reduce(0, +) / Double(scores.count) / 3600 * costs.perCPUHour }
        var levers: [Lever] = []

        let flagged = issues.ranked, review = Double(flagged.count) * costs.perLabelReviewed
        let withoutFlagged = try reviews.withoutFlagged.scores
        levers.append(Lever(kind: .reviewLabels, action: "review the \(flagged.count) flagged labels; drop those found wrong (estimated: \(Lever.ReviewStandIn.dropFlagged.rawValue))",
                            gains: gains(withoutFlagged), cost: review + cpuCost(withoutFlagged),
                            basis: measured(withoutFlagged) + "; also drops the flagged images labelled right", standIn: .dropFlagged))
        let withSuggestions = try reviews.withSuggestions.scores
        levers.append(Lever(kind: .reviewLabels, action: "review the \(flagged.count) flagged labels; correct those found wrong (estimated: \(Lever.ReviewStandIn.takeSuggestions.rawValue))",
                            gains: gains(withSuggestions), cost: review + cpuCost(withSuggestions),
                            basis: measured(withSuggestions) + "; also relabels the flagged images labelled right", standIn: .takeSuggestions))

        levers.append(Lever(kind: .collectData, action: "collect and label as many images again (\(training.count))",
                            gains: curve.projectedGain, cost: Double(training.count) * costs.perNewLabel,
                            basis: "projected from the learning curve (\(curve.points.map { "\(Int(100 * $0.fraction))%" }.joined(separator: ", ")))"
                                + (curve.backtestError.map { String(format: "; one step back, projected minus measured: %+.1f points", 100 * Summary($0).mean) } ?? "")))
        if let targeted = targetedCollection(data, training, curve, scoring) { levers.append(targeted) }

        if let deduplicated = try retrainings.deduplicated?.scores {
            levers.append(Lever(kind: .removeDuplicates, action: "remove \(duplicates.redundant.count) redundant training copies",
                                gains: gains(deduplicated), cost: cpuCost(deduplicated), basis: measured(deduplicated)))
        }
        for (architecture, runs) in retrainings.variants {
            let scores = try runs.scores
            levers.append(Lever(kind: .changeModel, action: "train \(architecture.rawValue) instead of \(recipe.architecture.rawValue)",
                                gains: gains(scores), cost: cpuCost(scores), basis: measured(scores)))
        }
        for (change, runs) in retrainings.trainingChanges {
            let scores = try runs.scores
            levers.append(Lever(kind: .changeTraining, action: change.action(from: recipe), gains: gains(scores), cost: cpuCost(scores), basis: measured(scores),
                                option: change.option(from: recipe)))
        }
        return levers
    }

    /// "; diverged on seed 2 in epoch 4, at learning rate 0.02 (left out)": where trainings with a
    /// lever diverged, on which seeds (their gains are NaN), or that it diverged on every seed and was not measured.
    static func divergenceNote(_ scores: [AuditTrainer.Score], seeds: [UInt64]) -> String {
        let diverged = zip(seeds, scores).compactMap { seed, score in score.diverged.map { "seed \(seed) in epoch \($0.epoch)" } }
        guard let first = scores.compactMap(\.diverged).first else { return "" }
        let rate = "at learning rate \(first.learningRate)"
        if diverged.count == scores.count { return "; diverged on every seed (\(diverged.joined(separator: ", ")), \(rate)): not measured" }
        return "; diverged on \(diverged.joined(separator: " and ")), \(rate) (left out)"
    }

    /// Doubling only the classes where the curve projects the largest recall gains (a third of
    /// the classes, at least one): each class's projected recall gain weighted by what a point of
    /// its recall is worth in the metric (its share of the scored images for accuracy); nil with one class.
    private func targetedCollection(_ data: Dataset, _ training: [Int], _ curve: LearningCurve, _ scoring: AuditScoring) -> Lever? {
        let k = data.classNames.count
        guard k > 1 else { return nil }
        let meanGain = curve.projectedClassGain.map { gains in gains.filter { !$0.isNaN }.reduce(0, +) / Double(max(gains.filter { !$0.isNaN }.count, 1)) }
        let chosen = (0..<k).sorted { meanGain[$0] > meanGain[$1] }.prefix(max(1, k / 3))
        let share = scoring.metric.classWeights(labels: scoring.labels, classes: k)
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
