import Curation
import Datasets
import Engine
import Harness
import Store

/// Checks an audit's estimates where the truth is known and more data exists: on images with
/// gold labels and a pool (a built-in scenario, or real images imported with
/// `--labels-are-gold`), the delivered labels are made noisy, the audit runs on the training
/// split, then the levers it
/// can only estimate are applied for real — a pool as large as the training split, labelled by
/// the same noisy process, is added (all of it, or the classes the audit named), and the flagged
/// labels are reviewed by an oracle that reads the gold labels (a perfect reviewer) — and the
/// measured gains are set beside the predicted ones, paired over the same seeds.
public struct AuditCheck: Sendable {
    /// Images with gold labels everywhere and a pool (what collection adds).
    public var data: Dataset
    /// How the training, validation and pool labels are delivered.
    public var noise: LabelNoise
    public var noiseSeed: UInt64 = 2
    public var audit: Audit

    /// - Throws: `AuditError.unusable` when a sample has no gold label or the pool is empty.
    public init(data: Dataset, noise: LabelNoise, audit: Audit) throws {
        guard data.hasGold(Array(0..<data.count)) else { throw AuditError.unusable("checking the audit needs gold labels on every image (import with --labels-are-gold)") }
        guard !data.indices(in: .pool).isEmpty else { throw AuditError.unusable("checking the audit needs a pool split to collect from") }
        self.data = data; self.noise = noise; self.audit = audit
    }

    /// A lever's predicted and measured gain (fractions, per seed).
    public struct Row: Sendable {
        public let lever: String
        public let predicted: [Double]
        public let measured: [Double]
    }

    /// The audit, the rows comparing its estimates with the levers applied, and the learning curve's
    /// next point as measured: the baseline recipe trained on the training split and the whole pool.
    public func run(progress: @escaping (Int, Int, String) -> Void = { _, _, _ in })
        throws -> (audit: AuditResult, rows: [Row], withPool: LearningCurve.Point) {
        let data = try noise.apply(to: self.data, seed: noiseSeed)
        let result = try audit.run(data, progress: progress)
        let runs = SeededRuns(trainer: AuditTrainer(scoring: result.scoring, threads: audit.threads) { _ in }, seeds: audit.seeds,
                              pool: TrainingPool(jobs: audit.jobs, threadsPerJob: audit.threads))
        func predicted(_ kind: Lever.Kind) -> [Double] { result.levers.first { $0.kind == kind && $0.classes.isEmpty }?.gains ?? [] }
        let training = result.training, pool = data.indices(in: .pool)
        let collected = runs.queue(audit.recipe, data, training + pool, "with the pool")
        let targeted = result.levers.first { $0.kind == .collectData && !$0.classes.isEmpty }.map { lever in
            let classes = Set(lever.classes.map(Int32.init))
            return (lever, runs.queue(audit.recipe, data, training + pool.filter { classes.contains(data.delivered[$0]) }, "with the pool's chosen classes"))
        }
        var reviewed = data
        for sample in result.labelIssues.ranked { reviewed.delivered[sample] = reviewed.gold[sample] }
        let oracle = runs.queue(audit.recipe, reviewed, training, "flags reviewed by the gold oracle")
        runs.pool.run()

        func measured(_ runs: SeededScores) throws -> [Double] { zip(try runs.convergedScores, result.baselineAccuracy).map { $0.accuracy - $1 } }
        /// A stand-in's estimate on every seed: the check pairs them with the measured gains.
        func estimated(_ lever: Lever) throws -> [Double] {
            guard !lever.gains.contains(where: \.isNaN) else { throw AuditError.unusable("\(lever.action): \(lever.basis); the check compares every seed") }
            return lever.gains
        }
        var rows = [Row(lever: "collect as many images again", predicted: predicted(.collectData), measured: try measured(collected))]
        if let (lever, runs) = targeted {
            rows.append(Row(lever: lever.action, predicted: lever.gains, measured: try measured(runs)))
        }
        for standIn in Lever.ReviewStandIn.allCases {
            let lever = result.levers.first { $0.standIn == standIn }!
            rows.append(Row(lever: lever.action + " — against a perfect review (gold oracle)", predicted: try estimated(lever), measured: try measured(oracle)))
        }
        let pooled = try collected.scores
        let withPool = LearningCurve.Point(fraction: Double(training.count + pool.count) / Double(training.count), size: training.count + pool.count,
                                           accuracy: pooled.map(\.accuracy), recall: pooled.map(\.recall))
        return (result, rows, withPool)
    }
}
