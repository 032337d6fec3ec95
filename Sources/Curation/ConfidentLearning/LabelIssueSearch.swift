import Datasets
import Engine
import Store

/// Confident learning end to end, the one pipeline behind `flywheel label-issues` and the
/// `label-issues` data step: out-of-sample probabilities (from the caller, or from K-fold
/// cross-validation of a recipe), the issues cleanlab's `filter_by` finds, their ranking, and
/// a suggested label per flag.
public struct LabelIssueSearch: Sendable, Encodable {
    public var finder: LabelIssueFinder
    public var rankBy: LabelQualityScore

    public init(finder: LabelIssueFinder, rankBy: LabelQualityScore) {
        self.finder = finder; self.rankBy = rankBy
    }

    /// What the search found.
    public struct Result: Sendable {
        /// The samples checked, in row order of `probabilities`.
        public let samples: [Int]
        /// Their labels as given, in the same order.
        public let labels: [Int]
        public let probabilities: PredictedProbabilities
        public let issues: LabelIssues
        /// Flagged samples (ids, not rows), most likely wrong first.
        public let ranked: [Int]
        /// Models trained to get the probabilities (none when they were given).
        public let effort: Effort
        /// Against the known label errors, when every checked sample has a gold label.
        public let flagScore: FlagScore?

        /// Every checked sample (ids), least likely correct first by `score`, flagged or not: the
        /// order a review of the whole set follows (DataPerf's debugging track ranks this way).
        public func rankedAll(by score: LabelQualityScore) -> [Int] {
            score.rank(Array(samples.indices), labels: labels, probabilities: probabilities).map { samples[$0] }
        }

        /// Per flagged sample: the out-of-sample prediction and its probability.
        public var suggestions: [Int: (label: Int, probability: Double)] { suggestions(for: ranked) }

        /// Per sample of `ids` (all checked): the out-of-sample prediction and its probability.
        public func suggestions(for ids: [Int]) -> [Int: (label: Int, probability: Double)] {
            let row = Dictionary(uniqueKeysWithValues: samples.enumerated().map { ($1, $0) })
            return Dictionary(uniqueKeysWithValues: ids.map { sample in
                let label = probabilities.predictedClass(row[sample]!)
                return (sample, (label, probabilities[row[sample]!, label]))
            })
        }

        /// `flagged`, `estimated_noise_rate` and, with gold labels, the flags' precision and recall.
        public var outcomes: [String: Double] {
            ["flagged": Double(ranked.count), "estimated_noise_rate": issues.noise.noiseRate]
                .merging(flagScore?.outcomes ?? [:]) { $1 }
        }
    }

    /// Flags among `labels` (one per sample, sample i in row i) given out-of-sample `probabilities`.
    /// - Parameter noiseMask: per sample, whether its label is known to be wrong (nil: unknown).
    public func search(labels: [Int], probabilities: PredictedProbabilities, samples: [Int], noiseMask: [Bool]? = nil,
                       effort: Effort = Effort()) throws -> Result {
        let issues = try finder.findLabelIssues(labels: labels, probabilities: probabilities)
        let ranked = issues.ranked(by: rankBy, labels: labels, probabilities: probabilities).map { samples[$0] }
        let score = noiseMask.map { mask in FlagScore(flagged: ranked, noiseMask: mask) }
        return Result(samples: samples, labels: labels, probabilities: probabilities, issues: issues, ranked: ranked, effort: effort, flagScore: score)
    }

    /// Flags among `samples` of `data` (delivered labels), with probabilities from `crossValidation`
    /// of `recipe`; the fold models also score each group of `scoring` (returned beside the result).
    public func search(in data: Dataset, samples: [Int], recipe: Recipe, crossValidation: CrossValidation,
                       scoring: [[Int]] = []) throws -> (result: Result, scored: [PredictedProbabilities]) {
        let predictions = try crossValidation.predict(recipe: recipe, data: data, samples: samples, scoring: scoring)
        let labels = samples.map { Int(data.delivered[$0]) }
        let known = samples.allSatisfy { data.gold[$0] >= 0 }
        let checked = Set(samples), noise = data.noiseMask
        let mask = known ? noise.indices.map { checked.contains($0) && noise[$0] } : nil
        let result = try search(labels: labels, probabilities: predictions.outOfSample, samples: samples, noiseMask: mask,
                                effort: predictions.effort)
        return (result, predictions.scored)
    }
}
