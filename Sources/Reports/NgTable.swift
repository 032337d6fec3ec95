import Foundation
import Harness
import Store

/// Andrew Ng's model-centric versus data-centric table ("From model-centric to data-centric AI",
/// 2021) beside Flywheel's reproduction on the built-in scenarios. Ng's figures are the talk's,
/// quoted; every Flywheel figure comes from an `ExperimentAnalysis` of trial files.
public enum NgTable {
    /// One project of the talk and the experiment that mirrors it, or a robustness row beside it.
    public struct Project: Sendable {
        public let name: String
        /// The experiment file's name (without `.yaml`): also the name of the project's report folder.
        public let experiment: String
        /// Ng's baseline, model-centric and data-centric accuracy (fractions), as reported (nil for a robustness row).
        public let reported: (baseline: Double, modelCentric: Double, dataCentric: Double)?
        /// A row the table is read without: skipped when its experiment file is not in the folder
        /// (an earlier protocol's folder kept without it); any other project's missing file is an error.
        public var optional = false
    }

    /// A table of projects that `flywheel reproduce` runs as one suite, and the files it writes.
    public struct Suite: Sendable {
        /// The tables' file stem in the results folder: `ng-table` (.md, .csv, .svg, .ipynb).
        public let file: String
        public let title: String
        /// What the figures are, before the table.
        public let lead: String
        public let projects: [Project]
        /// Where the projects' experiment files are, under the experiments folder ("" or "real/").
        public let subfolder: String
        /// Whether any project has reported figures to print beside Flywheel's.
        public var hasReported: Bool { projects.contains { $0.reported != nil } }
    }

    /// Ng's three projects on the built-in scenarios, and the steel robustness row.
    public static let ng = Suite(
        file: "ng-table", title: "Model-centric versus data-centric: Ng's table, reproduced",
        lead: "Ng's figures are from his 2021 talk (his teams' private data). Flywheel's are test accuracy on gold labels, ",
        projects: [
            Project(name: "steel defect detection", experiment: "steel-defects", reported: (0.762, 0.762, 0.931)),
            Project(name: "solar panel", experiment: "solar-panel", reported: (0.7568, 0.7572, 0.7874)),
            Project(name: "surface inspection", experiment: "surface-inspection", reported: (0.8505, 0.8505, 0.8545)),
            Project(name: "steel, robustness: the expert has a convention of their own", experiment: "steel-defects-convention", reported: nil, optional: true),
        ], subfolder: "")

    /// Ng's three arms on public real image sets (experiments/real/), the steel line's label trouble injected.
    public static let real = Suite(
        file: "real-table", title: "Model-centric versus data-centric on real images",
        lead: "Four public image sets of different kinds, their published labels taken as gold and the simulated steel line's "
            + "annotator conventions injected on the three class pairs a model confused most (experiments/real/). "
            + "Figures are test accuracy on gold labels, ",
        projects: [
            Project(name: "NEU steel surface (6 classes, grey)", experiment: "neu-det", reported: nil),
            Project(name: "X-SDD steel strip (7 classes, 1:6 imbalance, grey)", experiment: "xsdd", reported: nil),
            Project(name: "DeepPCB circuit-board defects (6 classes, grey)", experiment: "deeppcb", reported: nil),
            Project(name: "BCCD blood cells (3 classes, 1:3 imbalance, colour)", experiment: "bccd", reported: nil),
        ], subfolder: "real/")

    /// The markdown table: per project, Ng's numbers, then Flywheel's mean with Δ, 95% CI and
    /// p-value per arm, then what each arm cost.
    public static func markdown(_ analyses: [String: ExperimentAnalysis], suite: Suite = ng, command: String, provenance: Provenance) -> String {
        let projects = suite.projects
        let plans = projects.compactMap { analyses[$0.experiment]?.analysisPlan }
        let reportedHeadings = suite.hasReported ? ["Ng: baseline", "Ng: model-centric", "Ng: data-centric"] : []
        let headings = ["project"] + reportedHeadings + ["Flywheel: baseline", "Flywheel: model-centric", "Flywheel: data-centric", "Flywheel: data − model", "verdict", "seeds"]
        var lines = ["# " + suite.title, "",
                     suite.lead
                        + "mean over seeds, Δ the paired difference against the baseline with its 95% Student-t interval, "
                        + "paired t-test p-value and verdict; data − model is the paired difference of the data-centric and model-centric arms. "
                        + (plans.first.map { AnalysisPlanText.sentences($0) + (Set(plans.map(\.margin)).count > 1 ? " (Margins differ by project; each file states its own.)" : "") } ?? "")
                        + " Reproduce with `\(command)`.", "",
                     "| " + headings.joined(separator: " | ") + " |", "|" + String(repeating: "---|", count: headings.count)]
        for project in projects {
            guard let analysis = analyses[project.experiment] else { continue }
            let ng = project.reported.map { r in
                "\(pct(r.baseline)) | \(signed(r.modelCentric - r.baseline)) (\(pct(r.modelCentric))) | \(signed(r.dataCentric - r.baseline)) (\(pct(r.dataCentric)))"
            } ?? "— | — | —"
            let question = analysis.dataMinusModel?.judgement
            lines.append("| \(project.name) | \(suite.hasReported ? ng + " | " : "")\(cell(analysis.arm(.baseline))) "
                         + "| \(cell(analysis.arm(.modelCentric))) | \(cell(analysis.arm(.dataCentric))) | \(difference(question?.paired)) "
                         + "| \(question.map { verdict($0, margin: analysis.analysisPlan.margin) } ?? "—") | \(analysis.seeds.count) |")
        }
        let testSets = projects.compactMap { p in analyses[p.experiment]?.testSet.map { (p.name, $0) } }
        if !testSets.isEmpty {
            lines += ["", "**How finely each test set separates models** (per seed; `TestSetQuality`): its size, the share of its labels "
                        + "confident learning flags on the baseline's out-of-sample probabilities (on gold labels, the estimator's false alarms), "
                        + "the standard error of an accuracy on it, and the difference under which one such test set cannot tell two models apart.", "",
                      "| project | test images | labels flagged | gold labels? | standard error | resolves differences over |", "|---|---|---|---|---|---|"]
            lines += testSets.map { name, q in
                "| \(name) | \(Int(q.images)) | \(pct(q.flaggedShare.mean)) | \(q.labelsAreGold ? "yes: the flags are false alarms" : "no") "
                    + "| \(String(format: "%.1f", 100 * q.standardError)) points | \(String(format: "%.1f", 100 * q.resolution)) points |"
            }
        }
        lines += chosen(analyses, projects: projects)
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

    /// One row of the tidy CSV: a project's arm.
    struct Row: Sendable {
        let project: Project
        let reported: Double?
        let arm: ArmRow
    }

    /// The tidy CSV's columns: the project, Ng's figure, the arm's columns (`ArmColumns`, without
    /// per-class recall) and the project's data − model (`ComparisonColumns`, prefixed).
    static let columns: [ReportColumn<Row>] = [
        .text("project", nil) { $0.project.name },
        .text("experiment", nil) { $0.project.experiment },
        .number("ng_accuracy", nil, .percent) { $0.reported },
    ] + ArmColumns.all().map { $0.reading { (row: Row) in row.arm } }
        + ComparisonColumns.judged().map { $0.prefixed("data_minus_model_").reading { (row: Row) in row.arm.analysis.dataMinusModel?.judgement } }

    /// The same figures as tidy CSV: one row per project and arm.
    public static func csv(_ analyses: [String: ExperimentAnalysis], suite: Suite = ng) -> String {
        let rows = suite.projects.flatMap { project -> [Row] in
            guard let analysis = analyses[project.experiment] else { return [] }
            let reported = project.reported.map { [$0.baseline, $0.modelCentric, $0.dataCentric] } ?? [nil, nil, nil]
            return zip([Arm.baseline, .modelCentric, .dataCentric], reported).compactMap { arm, ng in
                analysis.arm(arm).map { Row(project: project, reported: ng, arm: ArmRow(arm: $0, analysis: analysis)) }
            }
        }
        return ReportTable.csv(columns, rows)
    }

    /// What each choosing arm picked on validation, per project: its candidates by the seeds that chose them.
    private static func chosen(_ analyses: [String: ExperimentAnalysis], projects: [Project]) -> [String] {
        let rows = projects.compactMap { project -> String? in
            guard let analysis = analyses[project.experiment], !analysis.variants.isEmpty || !analysis.dataCandidates.isEmpty else { return nil }
            return "| \(project.name) | \(picks(analysis.variants)) | \(picks(analysis.dataCandidates)) |"
        }
        guard !rows.isEmpty else { return [] }
        return ["", "**What each arm chose** on validation (candidates by the seeds that picked them; a tie of k counts 1/k each):", "",
                "| project | model-centric chose | data-centric chose |", "|---|---|---|"] + rows
    }

    private static func picks(_ candidates: [VariantResult]) -> String {
        let picked = candidates.filter { $0.timesChosen > 0 }.sorted { $0.timesChosen > $1.timesChosen }
        return picked.isEmpty ? "—" : picked.map { "\($0.name) ×\(fmt($0.timesChosen))" }.joined(separator: "; ")
    }

    private static func difference(_ d: PairedComparison?) -> String {
        guard let d else { return "—" }
        return "\(signed(d.difference.mean)) [\(signed(d.difference.lower))…\(signed(d.difference.upper))], p=\(String(format: "%.2g", d.pValue))"
    }

    private static func cell(_ arm: ArmResult?) -> String {
        guard let arm else { return "—" }
        guard let j = arm.judgement else { return "\(pct(arm.summary.mean)) [\(pct(arm.summary.shareInterval.lower))–\(pct(arm.summary.shareInterval.upper))]" }
        let c = j.paired
        return "\(signed(c.difference.mean)) (\(pct(arm.summary.mean))) [\(signed(c.difference.lower))…\(signed(c.difference.upper))], "
            + "p=\(String(format: "%.2g", c.pValue)), \(j.decision.verdict.rawValue)"
    }

    /// The verdict with the margin, what the design could detect and, when it could not tell, the seeds that would.
    private static func verdict(_ j: Judgement, margin: Double) -> String {
        let d = j.decision
        let detectable = d.minimumDetectableEffect.isNaN ? "no spread" : "detectable " + String(format: "%.1f", 100 * d.minimumDetectableEffect)
        var text = "**\(d.verdict.rawValue)** (±\(String(format: "%g", 100 * margin)); \(detectable))"
        if let needed = d.seedsToDecide { text += "; ~\(needed) seeds would decide" }
        return text
    }

    private static func pct(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    private static func signed(_ x: Double) -> String { String(format: "%+.1f", 100 * x) }
    private static func fmt(_ x: Double) -> String { String(format: "%g", (x * 10).rounded() / 10) }
}
