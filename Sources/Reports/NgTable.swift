import Foundation
import Harness
import Store

/// Andrew Ng's model-centric versus data-centric table ("From model-centric to data-centric AI",
/// 2021) beside Flywheel's reproduction on the built-in scenarios. Ng's figures are the talk's,
/// quoted; every Flywheel figure comes from an `ExperimentAnalysis` of trial files.
public enum NgTable {
    /// One project of the talk and the experiment that mirrors it.
    public struct Project: Sendable {
        public let name: String
        public let experiment: String
        /// Ng's baseline, model-centric and data-centric accuracy (fractions), as reported.
        public let reported: (baseline: Double, modelCentric: Double, dataCentric: Double)
    }

    public static let projects = [
        Project(name: "steel defect detection", experiment: "steel-defects", reported: (0.762, 0.762, 0.931)),
        Project(name: "solar panel", experiment: "solar-panel", reported: (0.7568, 0.7572, 0.7874)),
        Project(name: "surface inspection", experiment: "surface-inspection", reported: (0.8505, 0.8505, 0.8545)),
    ]

    /// The markdown table: per project, Ng's numbers, then Flywheel's mean with Δ, 95% CI and
    /// p-value per arm, then what each arm cost.
    public static func markdown(_ analyses: [String: ExperimentAnalysis], command: String, provenance: Provenance) -> String {
        var lines = ["# Model-centric versus data-centric: Ng's table, reproduced", "",
                     "Ng's figures are from his 2021 talk (his teams' private data). Flywheel's are test accuracy on gold labels, "
                        + "mean over seeds, Δ the paired difference against the baseline with its 95% Student-t interval and "
                        + "paired t-test p-value; the model-centric arm takes, per seed, the model the validation set as delivered picks among the baseline and its variants (a tie goes to the cheaper model, then the baseline); data − model is the paired difference of the data-centric and model-centric arms. "
                        + "Reproduce with `\(command)`.", "",
                     "| project | Ng: baseline | Ng: model-centric | Ng: data-centric | Flywheel: baseline | Flywheel: model-centric | Flywheel: data-centric | Flywheel: data − model |",
                     "|---|---|---|---|---|---|---|---|"]
        for project in projects {
            guard let analysis = analyses[project.experiment] else { continue }
            let r = project.reported
            lines.append("| \(project.name) | \(pct(r.baseline)) | \(signed(r.modelCentric - r.baseline)) (\(pct(r.modelCentric))) "
                         + "| \(signed(r.dataCentric - r.baseline)) (\(pct(r.dataCentric))) | \(cell(analysis.arm(.baseline))) "
                         + "| \(cell(analysis.arm(.modelCentric))) | \(cell(analysis.arm(.dataCentric))) | \(difference(analysis.dataVersusModel)) |")
        }
        let oracles = projects.compactMap { p in analyses[p.experiment].flatMap { $0.oracles.isEmpty ? nil : "\(p.name): \($0.oracles.joined(separator: ", "))" } }
        if !oracles.isEmpty {
            lines += ["", "**Oracles** (steps that read the true labels no team has; those arms are upper bounds): " + oracles.joined(separator: "; ") + "."]
        }
        lines += ["", "## What each gain cost (per seed)", "",
                  "| project | model-centric: trainings | model-centric: training TFLOP | data-centric: trainings | data-centric: training TFLOP | data-centric: labels reviewed | labels changed | samples collected | model-centric: cost | data-centric: cost |",
                  "|---|---|---|---|---|---|---|---|---|---|"]
        for project in projects {
            guard let analysis = analyses[project.experiment], let m = analysis.arm(.modelCentric), let d = analysis.arm(.dataCentric) else { continue }
            let seeds = Double(max(analysis.seeds.count, 1))
            let effort = d.stepEffort
            lines.append("| \(project.name) | \(fmt(Double(m.trainings) / seeds)) | \(fmt(m.trainFLOPs / seeds / 1e12)) | \(fmt(Double(d.trainings) / seeds)) "
                         + "| \(fmt(d.trainFLOPs / seeds / 1e12)) | \(fmt(Double(effort.reviewed) / seeds)) | \(fmt(Double(effort.labelsChanged) / seeds)) | \(fmt(Double(effort.collected) / seeds)) "
                         + "| \(String(format: "%.3g", analysis.costPerSeed(of: m))) | \(String(format: "%.3g", analysis.costPerSeed(of: d))) |")
        }
        if !provenance.markdownLine.isEmpty { lines += ["", provenance.markdownLine] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same figures as tidy CSV: one row per project and arm.
    public static func csv(_ analyses: [String: ExperimentAnalysis]) -> String {
        var rows = ["project,experiment,arm,ng_accuracy,seeds,mean,ci_low,ci_high,delta,delta_ci_low,delta_ci_high,p_value,trainings,train_flops,"
                    + "data_minus_model,data_minus_model_ci_low,data_minus_model_ci_high,data_minus_model_p_value"]
        for project in projects {
            guard let analysis = analyses[project.experiment] else { continue }
            let reported = [project.reported.baseline, project.reported.modelCentric, project.reported.dataCentric]
            for (arm, ng) in zip([Arm.baseline, .modelCentric, .dataCentric], reported) {
                guard let a = analysis.arm(arm) else { continue }
                let c = a.comparison, d = analysis.dataVersusModel
                let fields: [String] = [project.name, project.experiment, arm.rawValue, "\(ng)", "\(a.summary.count)", "\(a.summary.mean)", "\(a.summary.lower)",
                                        "\(a.summary.upper)", c.map { "\($0.difference.mean)" } ?? "", c.map { "\($0.difference.lower)" } ?? "",
                                        c.map { "\($0.difference.upper)" } ?? "", c.map { "\($0.pValue)" } ?? "", "\(a.trainings)", "\(a.trainFLOPs)",
                                        d.map { "\($0.difference.mean)" } ?? "", d.map { "\($0.difference.lower)" } ?? "",
                                        d.map { "\($0.difference.upper)" } ?? "", d.map { "\($0.pValue)" } ?? ""]
                rows.append(fields.map { $0.contains(",") ? "\"\($0)\"" : $0 }.joined(separator: ","))
            }
        }
        return rows.joined(separator: "\n") + "\n"
    }

    private static func difference(_ d: PairedComparison?) -> String {
        guard let d else { return "—" }
        return "\(signed(d.difference.mean)) [\(signed(d.difference.lower))…\(signed(d.difference.upper))], p=\(String(format: "%.2g", d.pValue))"
    }

    private static func cell(_ arm: ArmResult?) -> String {
        guard let arm else { return "—" }
        guard let c = arm.comparison else { return "\(pct(arm.summary.mean)) [\(pct(arm.summary.lower))–\(pct(arm.summary.upper))]" }
        return "\(signed(c.difference.mean)) (\(pct(arm.summary.mean))) [\(signed(c.difference.lower))…\(signed(c.difference.upper))], p=\(String(format: "%.2g", c.pValue))"
    }

    private static func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    private static func signed(_ x: Double) -> String { String(format: "%+.1f", 100 * x) }
    private static func fmt(_ x: Double) -> String { String(format: "%g", (x * 10).rounded() / 10) }
}
