import Foundation
import Harness
import Store

/// Tidy CSV: one row per trial, and one row per arm.
public enum CSVReport {
    /// trial_id, experiment, arm, variant, seed, status, accuracy, macro_f1, validation_accuracy, wall_seconds, train_flops,
    /// openblas_core, threads (empty where a trial file did not record them)
    public static func trials(_ records: [TrialRecord]) -> String {
        let header = "trial_id,experiment,arm,variant,seed,status,accuracy,macro_f1,validation_accuracy,wall_seconds,train_flops,openblas_core,threads"
        let rows = records.sorted { $0.trialID < $1.trialID }.map { r in
            [r.trialID, r.experiment, r.arm, r.variant, String(r.seed), r.status.rawValue,
             number(r.metrics?.accuracy), number(r.metrics?.macroF1), number(r.metrics?.validationAccuracy),
             number(r.wallSeconds), number(r.trainFLOPs), r.platform["openblas_core"] ?? "", r.platform["threads"] ?? ""]
                .map(quoted).joined(separator: ",")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    /// arm, seeds, mean, sd, ci_low, ci_high, delta, delta_ci_low, delta_ci_high, bootstrap_low, bootstrap_high, p_value, trainings,
    /// train_flops, then recall_<class> per class (mean test recall over seeds)
    public static func arms(_ analysis: ExperimentAnalysis) -> String {
        let recallColumns = analysis.classNames.map { "recall_" + $0 }
        let header = (["arm,seeds,mean,sd,ci_low,ci_high,delta,delta_ci_low,delta_ci_high,bootstrap_low,bootstrap_high,p_value,trainings,train_flops"]
            + recallColumns.map(quoted)).joined(separator: ",")
        let rows = analysis.arms.map { a in
            let c = a.comparison
            let fields = [a.arm, String(a.summary.count), number(a.summary.mean), number(a.summary.standardDeviation), number(a.summary.lower),
                    number(a.summary.upper), number(c?.difference.mean), number(c?.difference.lower), number(c?.difference.upper),
                    number(c?.bootstrapLower), number(c?.bootstrapUpper), number(c?.pValue), String(a.trainings), number(a.trainFLOPs)]
                + recallColumns.indices.map { number(a.recall.count > $0 ? a.recall[$0] : nil) }
            return fields.map(quoted).joined(separator: ",")
        }
        return ([header] + rows).joined(separator: "\n") + "\n"
    }

    private static func number(_ x: Double?) -> String { x.map { String($0) } ?? "" }

    private static func quoted(_ field: String) -> String {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" }) ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }
}
