import Datasets
import Foundation
import Harness
import Store

/// The markdown report of an experiment: the arm table (value, Δ against baseline with its 95%
/// CI, p-value and verdict, effort), data − model, costs, what each arm's choice cost, and the
/// candidate tables.
public enum MarkdownReport {
    /// - Parameter title: the report's heading (default: the experiment's name).
    public static func render(_ analysis: ExperimentAnalysis, command: String, provenance: Provenance? = nil, title: String? = nil) -> String {
        guard !analysis.arms.isEmpty else {
            return "# \(title ?? analysis.experiment)\n\nNo table yet: every arm is compared with the baseline seed by seed, and no "
                + "baseline trial has finished. Run `\(command)` again to finish the trials.\n"
        }
        var lines = ["# \(title ?? analysis.experiment)", "",
                     "Test \(analysis.analysisPlan.metric.name) " + (analysis.testLabelsAreGold ? "on the gold-labelled test set"
                        : "on the test labels as delivered (nobody checked them: no verified split, no simulated noise)")
                        + ", mean over seeds \(analysis.seeds.map(String.init).joined(separator: ", ")) "
                        + "with a 95% Student-t interval; Δ is the paired difference against the baseline (t interval, paired t-test "
                        + "p-value, verdict; the bootstrap interval is in arms.csv). " + AnalysisPlanText.sentences(analysis.analysisPlan)
                        + " Reproduce with `\(command)`.", ""]
        lines += ReportTable.markdown(ArmColumns.of(analysis), ArmRow.rows(analysis))
        lines += unchangedArms(analysis)
        lines += dominatedTestSet(analysis)
        if let testSet = analysis.testSet { lines += ["", TestSetText.sentence(testSet)] }
        if !analysis.oracles.isEmpty {
            lines += ["", "**Oracles:** \(analysis.oracles.joined(separator: ", ")) read the true labels, which no team has; the arms "
                        + "that use them show an upper bound, not what a team would get."]
        }
        if let d = analysis.dataMinusModel {
            lines += ["", "## Data − model: the question itself", "",
                      "Per seed, the data-centric arm's test \(analysis.analysisPlan.metric.name) minus the model-centric arm's (the model validation chose), "
                        + "paired over \(d.paired.difference.count) seeds.", ""]
                + ReportTable.markdown(ComparisonColumns.all, analysis.comparisons)
        }
        lines += costTable(analysis)
        lines += perSeed(analysis)
        let effort = analysis.arms.filter { !$0.stepValues.isEmpty }
        if !effort.isEmpty {
            lines += ["", "## Data effort (per seed)", "", "| arm | what the data steps did |", "|---|---|"]
            for arm in effort {
                lines.append("| \(arm.label) | " + arm.stepValues.sorted { $0.key < $1.key }.map { "\($0.key) \(String(format: "%g", $0.value))" }
                    .joined(separator: ", ") + " |")
            }
        }
        if let baseline = analysis.arms.first, !analysis.classNames.isEmpty {
            let others = analysis.arms.dropFirst()
            lines += ["", "## Per-class test recall (mean over seeds; Δ against the baseline)", "",
                      "| class | baseline |" + others.map { " \($0.label) |" }.joined(), "|---|---|" + others.map { _ in "---|" }.joined()]
            for (k, name) in analysis.classNames.enumerated() where k < baseline.recall.count {
                lines.append("| \(name) | \(percent(baseline.recall[k])) |" + others.map { arm in
                    k < arm.recall.count ? " \(percent(arm.recall[k])) (\(signed(arm.recall[k] - baseline.recall[k]))) |" : " — |"
                }.joined())
            }
        }
        lines += choiceRegret(analysis)
        lines += candidates(analysis.variants, title: "Model-centric candidates (the baseline, each variant, and the stacks built on the best of them)", analysis)
        lines += candidates(analysis.dataCandidates, title: "Data-centric sub-arms (cumulative steps)", analysis)
        lines += reviewCurve(analysis.reviewCurve)
        if !analysis.problems.isEmpty {
            lines += ["", "Trials that did not complete or did not learn (never chosen, never averaged in; each counts as a failure of its arm):"]
                + analysis.problems.map { "- \($0)" }
        }
        if let line = provenance?.markdownLine, !line.isEmpty { lines += ["", line] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A sentence for the arms that scored what the baseline scored on every seed (a difference of
    /// exactly 0, no spread): their "equivalent" is not a difference measured small, but an arm
    /// whose choice left the baseline as it was.
    private static func unchangedArms(_ analysis: ExperimentAnalysis) -> [String] {
        let unchanged = analysis.arms.filter { arm in
            arm.comparison.map { $0.difference.count >= 2 && $0.difference.mean == 0 && $0.difference.standardDeviation == 0 } ?? false
        }
        guard !unchanged.isEmpty else { return [] }
        return ["", "**The same as the baseline on every seed:** \(unchanged.map(\.label).joined(separator: ", ")) scored what the baseline "
                    + "scored on each seed — chose the baseline itself, or a model that scored the same — so \"equivalent\" there says the "
                    + "arm changed nothing, not that a difference was measured within the margin (nothing to detect: no spread)."]
    }

    /// Where one class dominates the test set: what always answering it scores, and each arm's
    /// balanced accuracy (the mean of its classes' recalls, each class alike), beside the verdicts,
    /// which stay on accuracy as pre-registered.
    private static func dominatedTestSet(_ analysis: ExperimentAnalysis) -> [String] {
        guard let dominance = ClassDominance(counts: analysis.testClassCounts) else { return [] }
        guard analysis.analysisPlan.metric == .accuracy else {
            return ["", "**One class dominates the test set:** " + dominance.sentence(classNames: analysis.classNames, images: "its images")
                        + " Every figure here is balanced accuracy, which counts each class alike, as the plan says."]
        }
        let present = analysis.testClassCounts.indices.filter { analysis.testClassCounts[$0] > 0 }
        func balanced(_ arm: ArmResult) -> Double? {
            guard present.allSatisfy({ $0 < arm.recall.count }) else { return nil }
            return present.map { arm.recall[$0] }.reduce(0, +) / Double(present.count)
        }
        let base = analysis.arms.first.flatMap(balanced)
        let figures = analysis.arms.compactMap { arm in
            balanced(arm).map { value in
                "\(arm.label) \(percent(value))" + (arm.judgement == nil || base == nil ? "" : " (\(signed(value - base!)))")
            }
        }
        return ["", "**One class dominates the test set:** " + dominance.sentence(classNames: analysis.classNames, images: "its images")
                    + " Balanced accuracy (the mean of the classes' recalls, each class alike; means over seeds): "
                    + figures.joined(separator: ", ") + ". The verdicts above are on accuracy, as pre-registered (`analysis.metric: "
                    + "balanced-accuracy` decides on balanced accuracy instead); per-class recall is below, each trial's macro-F1 in trials.csv."]
    }

    /// The candidates an arm chose among per seed, with how often its chooser picked each.
    private static func candidates(_ candidates: [VariantResult], title: String, _ analysis: ExperimentAnalysis) -> [String] {
        guard !candidates.isEmpty else { return [] }
        let chooser = analysis.analysisPlan.chooseOn == .verified ? "the checked validation images" : "validation as delivered"
        return ["", "## \(title)", "", "Chosen per seed on \(chooser); a tie goes to the cheaper model, then the baseline; a tie left after that counts 1/k for each.", ""]
            + ReportTable.markdown(CandidateColumns.all(testLabel: analysis.testAccuracyLabel, verified: analysis.hasVerifiedValidation), candidates)
    }

    /// What choosing on validation cost each choosing arm: the regret against the best candidate
    /// on the gold test set, choosing on validation as delivered and on the checked images.
    private static func choiceRegret(_ analysis: ExperimentAnalysis) -> [String] {
        let choosing = analysis.arms.filter { $0.regret != nil }
        guard !choosing.isEmpty else { return [] }
        var lines = ["", "## What each arm's choice on validation cost it", "",
                     "Per seed, the test \(analysis.analysisPlan.metric.name) of the arm's best candidate on the "
                        + "\(analysis.testLabelsAreGold ? "gold test set" : "test labels as delivered") "
                        + "minus that of the candidate its "
                        + "validation chose, averaged over seeds (points)." + (analysis.hasVerifiedValidation
                            ? " Both choosers are shown whatever the plan chose on; the arm's result uses \(analysis.analysisPlan.chooseOn.rawValue)." : ""), ""]
        var header = "| arm | regret, validation as delivered |", rule = "|---|---|"
        if analysis.hasVerifiedValidation { header += " regret, checked images | seeds where the two choose differently |"; rule += "---|---|" }
        lines += [header, rule]
        for arm in choosing {
            let r = arm.regret!
            var row = "| \(arm.label) | \(String(format: "%.1f", 100 * r.delivered)) |"
            if let verified = r.verified { row += " \(String(format: "%.1f", 100 * verified)) | \(r.seedsWhereTheyDiffer ?? 0) of \(arm.summary.count) |" }
            lines.append(row)
        }
        return lines
    }

    /// The review curve: accuracy against the fraction of training labels reviewed in rank order.
    private static func reviewCurve(_ curve: ReviewCurve?) -> [String] {
        guard let curve else { return [] }
        let perSeed = curve.seeds.map { String(format: "%.0f%%", 100 * curve.fractionToTarget[$0]!) }.joined(separator: ", ")
        return ["", "## Review curve (DataPerf's debugging yardstick; the reviews in it are oracles unless it names another reviewer)", "",
                "The fixed model retrained after the top fraction of all training labels, ranked by its out-of-sample "
                    + "confidence, was reviewed; 0 is the baseline, 100% the gold-label model. Over \(curve.seeds.count) seeds.", "",
                "| labels reviewed | point | test accuracy | 95% CI | Δ vs baseline | Δ 95% CI (t) | p |", "|---|---|---|---|---|---|---|"]
            + curve.points.map { point in
                let s = point.accuracy
                let gain = point.gain.map { "\(signed($0.difference.mean)) | \(signed($0.difference.lower))…\(signed($0.difference.upper)) | \(String(format: "%.3g", $0.pValue))" }
                    ?? "— | — | —"
                return "| \(String(format: "%g%%", 100 * point.fraction)) | \(point.name) | \(percent(s.mean)) | \(percent(s.lower))–\(percent(s.upper)) | \(gain) |"
            }
            + ["", String(format: "Labels to review to reach %g%% of the gold-label model's accuracy: %.0f%% on the mean curve; per seed %@.",
                          100 * ReviewCurve.target, 100 * curve.fractionToTargetOfMean, perSeed)]
    }

    /// What each arm spent per seed, priced by the experiment's `costs`, and its gain per unit.
    private static func costTable(_ analysis: ExperimentAnalysis) -> [String] {
        guard !analysis.arms.isEmpty else { return [] }
        let c = analysis.costs
        var lines = ["", "## Cost per seed", "",
                     "In cost units: a label reviewed \(String(format: "%g", c.perLabelReviewed)), a new label "
                        + "\(String(format: "%g", c.perNewLabel)), a CPU-hour \(String(format: "%g", c.perCPUHour)) (the experiment's `costs:`).", "",
                     "| arm | labels reviewed | validation labels checked for the choice | new labels | CPU-hours | cost | cost per point gained over the baseline |",
                     "|---|---|---|---|---|---|---|"]
        for arm in analysis.arms where !arm.isUpperBound {
            let seeds = Double(max(arm.summary.count, 1)), cost = analysis.costPerSeed(of: arm)
            let perPoint = arm.comparison.map { $0.difference.mean > 0 ? String(format: "%.3g", cost / (100 * $0.difference.mean)) : "— (no gain)" } ?? "—"
            lines.append("| \(arm.label) | \(String(format: "%g", Double(arm.stepEffort.reviewed) / seeds)) | \(String(format: "%g", Double(arm.selectionEffort.reviewed) / seeds)) "
                         + "| \(String(format: "%g", Double(arm.stepEffort.annotations) / seeds)) "
                         + "| \(String(format: "%.3g", arm.cpuHours / seeds)) | \(String(format: "%.3g", cost)) | \(perPoint) |")
        }
        return lines
    }

    /// Each arm's test accuracy per seed (the calibration table of a `flywheel calibrate` run).
    private static func perSeed(_ analysis: ExperimentAnalysis) -> [String] {
        guard !analysis.arms.isEmpty else { return [] }
        return ["", "## \(analysis.testAccuracyLabel.prefix(1).uppercased() + analysis.testAccuracyLabel.dropFirst()) per seed", ""]
            + ReportTable.markdown(PerSeedColumns.of(analysis), PerSeedColumns.seeds(analysis))
    }

    static func percent(_ x: Double) -> String { String(format: "%.1f%%", 100 * x) }
    static func signed(_ x: Double) -> String { String(format: "%+.1f", 100 * x) }
}
