import Audit
import Curation
import Datasets
import Foundation
import Harness
import Store

/// The audit as a markdown report: the levers ranked, then the evidence behind each.
public enum AuditMarkdown {
    public static func render(_ audit: AuditResult, dataset: String, costs: CostSchedule) -> String {
        var lines = ["# Audit of \(dataset)", ""]
        let baseline = Summary(audit.baselineAccuracy)
        lines.append("Scored on \(audit.scoring.description)." + (audit.scoring.verified ? "" :
            " No verified labels: every accuracy below is measured against labels as delivered, noise included."))
        lines.append("Recipe \(audit.recipe.architecture.rawValue), \(audit.recipe.training.epochs) epochs (\(audit.recipe.training.schedule.decay)"
            + (audit.recipe.training.randomFlips.isEmpty ? "" : ", random flips in the loop") + "), "
            + "trained on the \(audit.training.count) training images "
            + "with their labels as delivered; seeds \(audit.seeds.map(String.init).joined(separator: ", ")). "
            + "Baseline \(audit.scoring.metric.name) \(interval(baseline))." + metricSentence(audit))
        lines.append(String(format: "Cost units: a label reviewed %g, a new label %g, a CPU-hour %g.", costs.perLabelReviewed, costs.perNewLabel, costs.perCPUHour))
        if baseline.standardDeviation > 0.03 {
            lines.append(String(format: "The seeds disagree: the baseline's \(audit.scoring.metric.name) varies by %.1f points (standard deviation) from seed to seed. "
                + "Rank only levers whose intervals separate, or rerun with more --seeds or the other --schedule (a steadier recipe narrows every interval).",
                100 * baseline.standardDeviation))
        }
        lines += ["", "## Levers, best estimated gain first", ""] + leverTable(audit.levers)
        lines += ["", "Measured levers retrain the recipe with the lever applied, paired with the baseline seed by seed; projected ones extrapolate the learning curve. "
                  + "Review is estimated by two automatic stand-ins (drop every flagged image; take every suggestion), which do not bound what a person's review gains: "
                  + "checked against a perfect review where the truth was known, both fell short where many labels were wrong, and dropping the flags also gained "
                  + "where no label was wrong, by removing hard images labelled right. Review a random sample of the flags first: the share found wrong says which case this is."]
        lines += trainingAdvice(audit.levers)
        lines += ["", "## Label issues", ""] + labelSection(audit)
        lines += ["", "## Duplicates and leakage", ""] + duplicateSection(audit)
        lines += ["", "## Classes", ""] + classSection(audit)
        lines += ["", "## Learning curve", ""] + curveSection(audit)
        lines += ["", "## Images", ""] + imageSection(audit)
        lines += ["", String(format: "%d trainings, %.0f CPU-seconds. ", audit.trainings, audit.cpuSeconds) + audit.provenanceLine]
        return lines.joined(separator: "\n") + "\n"
    }

    /// Where a change of training gains (its interval above 0), the other levers were measured under a
    /// recipe that trains worse: the paragraph says so and names the option that audits under the changed one.
    static func trainingAdvice(_ levers: [Lever]) -> [String] {
        let gaining = levers.filter { $0.kind == .changeTraining && ($0.gain?.lower ?? 0) > 0 }
        guard !gaining.isEmpty else { return [] }
        let options = gaining.compactMap(\.option).joined(separator: " and ")
        return ["", "A change of training gains here (" + gaining.map { "\($0.action): " + gainInterval($0.measuredGains) + " points" }.joined(separator: "; ")
                + "), so every other lever was measured under a recipe that trains worse than it could: audit again \(options) "
                + "to measure the data levers under the better recipe."]
    }

    /// "95.3% [94.1, 96.5]" or, with `sign`, "+1.2 [+0.3, +2.1]" (points).
    /// Without `sign` the value is a share, and its interval is clipped to 0…100%.
    public static func interval(_ s: Summary, scale: Double = 100, sign: Bool = false) -> String {
        if sign { return String(format: "%+.1f [%+.1f, %+.1f]", scale * s.mean, scale * s.lower, scale * s.upper) }
        return String(format: "%.1f%% [%.1f, %.1f]", scale * s.mean, scale * max(s.lower, 0), scale * min(s.upper, 1))
    }

    /// Gains per seed (fractions) as "+1.2 [+0.3, +2.1]" points, "+1.2 (one seed: no interval)", or
    /// "not measured" for none.
    public static func gainInterval(_ gains: [Double]) -> String {
        if gains.isEmpty { return "not measured" }
        return gains.count > 1 ? interval(Summary(gains), sign: true) : String(format: "%+.1f (one seed: no interval)", 100 * Summary(gains).mean)
    }

    private static func leverTable(_ levers: [Lever]) -> [String] {
        ["| rank | lever | action | gain (points, 95% CI) | p | cost (units) | basis |", "|---|---|---|---|---|---|---|"]
            + levers.enumerated().map { rank, lever in
                "| \(rank + 1) | \(lever.kind.rawValue) | \(lever.action) | \(gainInterval(lever.measuredGains)) | "
                    + (lever.pValue.map { String(format: "%.3f", $0) } ?? "–") + String(format: " | %.1f | ", lever.cost) + "\(lever.basis) |"
            }
    }

    private static func labelSection(_ audit: AuditResult) -> [String] {
        let issues = audit.labelIssues
        var lines = [String(format: "Confident learning (%d-fold cross-validation of the recipe) flags %d of %d training labels; estimated noise rate %.1f%%.",
                            audit.labelIssues.effort.trainings, issues.ranked.count, issues.samples.count, 100 * issues.issues.noise.noiseRate)]
        if let score = issues.flagScore {
            lines.append("Against the file's verified training labels: \(score.text()).")
        }
        let pairs = audit.confusedPairs()
        if !pairs.isEmpty {
            lines += ["", "| given | likely true | images |", "|---|---|---|"] + pairs.map { "| \(audit.classNames[$0.given]) | \(audit.classNames[$0.likelyTrue]) | \($0.count) |" }
        }
        lines += ["", "The flags, most likely wrong first, are in `review.csv`: fill in `corrected_label` and apply it with `flywheel data apply-review`."]
        if !issues.ranked.isEmpty {
            let sampled = min(SpotCheck.defaultSize, issues.ranked.count)
            lines += ["", "Check first how many flags are label errors: `spot-check.html` (and `spot-check.csv`) hold "
                      + (sampled < issues.ranked.count ? "\(sampled) of the \(issues.ranked.count) flags, drawn at random. " : "all \(sampled) flags, in random order. ")
                      + "Pick a label on every row (the label as given where it is right) and save `spot-check.csv`; then `flywheel data spot-check DATASET spot-check.csv "
                      + "--flags \(issues.ranked.count)` estimates the share of the flags that are wrong, and how many."]
        }
        return lines
    }

    private static func duplicateSection(_ audit: AuditResult) -> [String] {
        let d = audit.duplicates, s = d.search
        var lines = [String(format: "Near duplicates: closer than %.3f, a tenth-scale radius (%.2f × the median nearest-neighbour distance, %.3f) on 16 × 16 thumbnails; exact copies always.",
                            s.radius, s.typicalDistance > 0 ? s.radius / s.typicalDistance : 0, s.typicalDistance)]
        lines.append("Inside the training split: \(d.withinTraining.count) pairs (\(d.withinTraining.filter(\.exact).count) exact); \(d.redundant.count) redundant copies.")
        lines.append("Training images duplicated in the test split: \(d.trainTestLeaks.count); in the validation split: \(d.trainValidationLeaks.count).")
        let leaked = Set(d.trainTestLeaks.map(\.second) + d.trainValidationLeaks.map(\.second)).intersection(audit.scoring.samples)
        if !leaked.isEmpty {
            let inflation = PairedComparison(arm: audit.baselineAccuracy, baseline: audit.accuracyWithoutLeaks)
            lines.append("Leakage: \(leaked.count) scored images copy training images. The baseline scores \(interval(inflation.difference, sign: true)) points higher with them than without.")
        }
        return lines
    }

    /// What the gains are measured in, when it is balanced accuracy; under accuracy, a warning
    /// when one class dominates the scored images (a model that always answers it scores its share).
    private static func metricSentence(_ audit: AuditResult) -> String {
        let scoring = audit.scoring
        if scoring.metric == .balancedAccuracy {
            return " Every gain below is in points of balanced accuracy: the mean of the classes' recalls, each class counted alike."
        }
        guard let dominance = ClassDominance(labels: scoring.labels, classes: audit.classNames.count) else { return "" }
        return " " + dominance.sentence(classNames: audit.classNames, images: "the scored images")
            + " `--metric balanced-accuracy` measures every lever on the mean of the classes' recalls instead (each class alike), and "
            + "`--training-changes schedule,flips,class-weights` adds weighting the loss by inverse class frequency; the recall of each class is under Classes."
    }

    private static func classSection(_ audit: AuditResult) -> [String] {
        let counts = audit.trainingCounts, k = audit.classNames.count
        let recall = (0..<k).map { c in audit.baselineRecall.map { $0[c] } }
        return ["| class | training images | baseline recall | projected recall gain, 2× data (points) |", "|---|---|---|---|"]
            + (0..<k).map { c in
                let gains = audit.learningCurve.projectedClassGain[c].filter { !$0.isNaN }, recalls = recall[c].filter { !$0.isNaN }
                return "| \(audit.classNames[c]) | \(counts[c]) | " + (recalls.isEmpty ? "–" : interval(Summary(recalls)))
                    + " | " + (gains.isEmpty ? "–" : interval(Summary(gains), sign: true)) + " |"
            }
    }

    private static func curveSection(_ audit: AuditResult) -> [String] {
        let curve = audit.learningCurve
        var lines = ["| share of training split | images | \(audit.scoring.metric.name) (95% CI) |", "|---|---|---|"]
        lines += curve.points.map { "| \(Int(100 * $0.fraction))% | \($0.size) | \(interval(Summary($0.accuracy))) |" }
        lines.append("")
        lines.append(String(format: "Power law on the error, fitted per seed: exponent %.2f (mean); twice the data projects %@ points.",
                            Summary(curve.exponents).mean, interval(Summary(curve.projectedGain), sign: true)))
        if let backtest = curve.backtestError {
            let (from, to) = (curve.points[curve.points.count - 2], curve.points[curve.points.count - 1])
            lines.append(String(format: "Tried one step back: fitted without the whole split, the power law's projection of the step from %d%% to %d%% of it "
                                + "missed the gain measured there by %@ points (projected minus measured, paired over seeds). Twice the data can be missed by as much.",
                                Int(100 * from.fraction), Int(100 * to.fraction), gainInterval(backtest)))
        }
        lines.append("![learning curve](learning-curve.svg)")
        return lines
    }

    private static func imageSection(_ audit: AuditResult) -> [String] {
        let q = audit.quality
        var lines = ImageQuality.Problem.allCases.map { "\($0.rawValue): \(q.samples(with: $0).count) images" }
        lines.append("Outliers (far from their class, doubted by the model): \(audit.outliers.outliers.count)"
            + (audit.outliers.outliers.isEmpty ? "." : ", first: " + audit.outliers.outliers.prefix(10).map(String.init).joined(separator: ", ") + "."))
        return lines
    }
}
