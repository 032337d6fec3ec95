import Harness
import Store

/// The per-seed table: each arm's test accuracy on each seed (the calibration table of a
/// `flywheel calibrate` run; the claims notebook pairs its effects from it).
public enum PerSeedColumns {
    /// The seed, then one column per arm, named by the arm's label.
    public static func of(_ analysis: ExperimentAnalysis) -> [ReportColumn<Int>] {
        [.integer("seed", "seed") { Int64($0) }] + analysis.arms.map { arm in
            .number(arm.label, arm.label, .percent) { arm.accuracy[$0] }
        }
    }

    /// Every seed any arm has, ascending.
    public static func seeds(_ analysis: ExperimentAnalysis) -> [Int] { Set(analysis.arms.flatMap { $0.accuracy.keys }).sorted() }
}
