import Harness
import Store

/// A claim's measurements: per condition, the analysis of its trials, how well validation ranked
/// the model candidates, and the active-learning curves; and the verdict of its pre-registered test.
public struct ClaimResult: Sendable {
    public let claim: Claim
    /// Per condition, in the claim's order.
    public let conditions: [ConditionResult]
    public let verdict: ClaimVerdict
    /// The test's power at the report seeds, from the calibration seeds' trials (nil: the file
    /// states no `power:`, or fewer than two calibration seeds finished).
    public let power: ClaimPower?

    public struct ConditionResult: Sendable {
        public let condition: ClaimCondition
        public let analysis: ExperimentAnalysis
        public let ranking: RankAgreement
        /// Labels bought against mean test accuracy, from the data arm's active-learning rounds
        /// (empty when it has none); the final model's accuracy is the last point.
        public let labelsCurve: [(labels: Double, accuracy: Summary)]
        public let records: [TrialRecord]
    }

    /// - Parameter calibration: per condition the test reads, the records of its calibration seeds.
    public init(claim: Claim, records: [String: [TrialRecord]], calibration: [String: [TrialRecord]] = [:]) {
        self.claim = claim
        conditions = claim.conditions.map { condition in
            let mine = records[condition.name] ?? []
            return ConditionResult(condition: condition, analysis: ExperimentAnalysis(records: mine), ranking: RankAgreement(records: mine, on: condition.experiment.analysisPlan.chooseOn),
                                   labelsCurve: Self.labelsCurve(mine), records: mine)
        }
        verdict = ClaimVerdict(claim.test, analyses: Dictionary(uniqueKeysWithValues: conditions.map { ($0.condition.name, $0.analysis) }))
        power = Self.power(of: claim, calibration: calibration)
    }

    /// The power of `claim`'s test at its report seeds, from the paired differences on the calibration seeds.
    public static func power(of claim: Claim, calibration: [String: [TrialRecord]]) -> ClaimPower? {
        guard let effect = claim.test.powerEffect, !calibration.isEmpty else { return nil }
        let analyses = calibration.mapValues { ExperimentAnalysis(records: $0) }
        let differences = claim.test.at.map { condition in
            let (a, b) = claim.test.pairs(in: analyses, at: condition)
            return zip(a, b).map { $0 - $1 }
        }
        let seeds = claim.conditions.first?.experiment.seeds.count ?? 0
        return ClaimPower(test: claim.test, effect: effect, calibrationDifferences: differences, seeds: seeds)
    }

    /// The result of one condition, by name.
    public func condition(_ name: String) -> ConditionResult? { conditions.first { $0.condition.name == name } }

    /// Mean test accuracy per number of training labels over the data arm's active-learning
    /// rounds (the round's model) and its final model (trained after the last round's labels).
    static func labelsCurve(_ records: [TrialRecord]) -> [(labels: Double, accuracy: Summary)] {
        var points: [Double: [Double]] = [:]
        for record in records where record.arm == .dataCentric && record.status == .completed {
            guard let loop = record.curation.first(where: { $0.outcome(ActiveLearningOutcome.self) != nil }),
                  let curve = loop.outcome(ActiveLearningOutcome.self), let final = record.metrics else { continue }
            let labels = curve.labels.map(Double.init)
            for (n, a) in zip(labels, curve.testAccuracy) { points[n, default: []].append(a) }
            let added = Double(loop.effort?.collected ?? 0)
            points[(labels.first ?? 0) + added, default: []].append(final.accuracy)
        }
        return points.keys.sorted().map { ($0, Summary(points[$0]!)) }
    }
}
