import Claims
import Foundation
import Harness
import Store

/// The claims suite's report: one verdict row per claim, then each claim's measurements per
/// condition. Every figure comes from a `ClaimResult` of trial files.
public enum ClaimsMarkdown {
    /// `results/claims.md`: the verdict table and a section per claim.
    public static func render(_ results: [ClaimResult], command: String, provenance: Provenance) -> String {
        var lines = ["# What the article claims, measured", "",
                     "Each claim of \"Stop treating data as a commodity\" (Hasty) is an experiment file under `experiments/claims/`, "
                        + "its test written before any of its trials ran: an effect a − b in test accuracy on gold labels, paired over "
                        + "the report seeds, with its 95% Student-t interval. *Supported* means the interval says what the claim predicts in every "
                        + "condition the test reads; *depends* names where it does and where it does not; *not supported* means it does in none. "
                        + "The model-centric arm ships, per seed, the candidate the validation set as delivered picks (a tie goes to the cheaper "
                        + "model, then the baseline). The claims are one family of tests: each claim's p-value (every condition its test "
                        + "reads at once: the largest of theirs, on the scale of the 95% intervals) is adjusted by Holm's step-down "
                        + "correction over the claims in this table, and a claim supported alone but not after the correction says so. "
                        + "Beside each effect, its verdict in protocol v3's words (better, worse, equivalent within ±2 points or the "
                        + "claim's margin, inconclusive). Reproduce with `\(command)`.", "",
                     "| # | the article says | experiment | test | measured a − b (points, 95% CI) | claim p (Holm-adjusted) | power | verdict |",
                     "|---|---|---|---|---|---|---|---|"]
        let family = ClaimFamily(results)
        for (number, result) in results.enumerated() {
            let verdict = family.verdictText(number)
            lines.append("| \(number + 1) | \(escape(result.claim.statement)) | `\(result.claim.file)` | \(escape(result.claim.test.prediction)) "
                         + "| \(effects(result.verdict)) | " + String(format: "%.2g (%.2g)", result.verdict.pValue, family.adjustedPValues[number])
                         + " | \(powerCell(result.power, quick: result.claim.quick)) | **\(verdict)**\(result.verdict.verdict == .supported ? "" : ": " + escape(result.verdict.detail)) |")
        }
        for (number, result) in results.enumerated() { lines += [""] + section(result, number: number + 1) }
        if !provenance.markdownLine.isEmpty { lines += ["", provenance.markdownLine] }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "84% (6 for 80%)", "not stated" for a file without `power:`, "none in a quick run".
    static func powerCell(_ power: ClaimPower?, quick: Bool) -> String {
        guard let power else { return quick ? "none in a quick run" : "not stated" }
        return String(format: "%.0f%% (%@)", 100 * power.power, power.seedsForTarget.map { "\($0) seeds for 80%" } ?? "> \(ClaimPower.maximumSeeds) seeds for 80%")
    }

    /// One claim's section: statement, design, the test, and a row per condition.
    public static func section(_ result: ClaimResult, number: Int) -> [String] {
        let claim = result.claim
        var lines = ["## \(number). \(claim.name)", "", "> \(claim.statement)" + (claim.source.isEmpty ? "" : " — \(claim.source)"), ""]
        if !claim.design.isEmpty { lines += [claim.design, ""] }
        lines += ["Pre-registered test: \(claim.test.prediction)" + (claim.test.at == [""] ? "" : ", in " + claim.test.at.joined(separator: ", "))
                    + ". Verdict: **\(result.verdict.summary)**.", ""]
        if result.power == nil, claim.quick, claim.test.powerEffect != nil {
            lines += ["Power: none in a quick run (no calibration seeds: a spread measured on its shortened trainings would say nothing "
                        + "about the design's power; `flywheel claims --power` measures it at the design's settings).", ""]
        }
        if let power = result.power {
            lines += [String(format: "Power, stated before the report seeds ran: at a true effect of %@ the test supports the claim in %.0f%% of "
                             + "simulated experiments with %d seeds (spread of a − b %.1f points, from the calibration seeds: %d degrees of freedom); %@.",
                             power.effect == 0 ? "0 (an equivalence)" : String(format: "%.1f points", 100 * power.effect), 100 * power.power, power.seeds,
                             100 * power.standardDeviation, power.degreesOfFreedom,
                             power.seedsForTarget.map { "\($0) seeds would give 80%" } ?? "more than \(ClaimPower.maximumSeeds) seeds would be needed for 80%"), ""]
        }
        lines += conditionTable(result.conditions)
        let oracles = Set(result.conditions.flatMap(\.analysis.oracles)).sorted()
        if !oracles.isEmpty { lines += ["", "**Oracles** (steps that read the true labels no team has): \(oracles.joined(separator: ", "))."] }
        let excluded = result.conditions.flatMap { c in c.condition.experiment.excludedVariants.map { "\($0.name) (\(String(format: "%.2f", $0.mflops)) MFLOPs) in \(c.condition.name)" } }
        if !excluded.isEmpty { lines += ["", "Left out by the inference budget: \(excluded.joined(separator: "; "))."] }
        let problems = result.conditions.flatMap(\.analysis.problems)
        if !problems.isEmpty { lines += ["", "Trials that failed, diverged or collapsed (never chosen nor averaged): \(problems.count)."] }
        let curves = result.conditions.filter { !$0.labelsCurve.isEmpty }
        if !curves.isEmpty {
            lines += ["", "Test accuracy against training labels bought (the data arm's rounds, mean over seeds, 95% CI):", "",
                      "| condition | " + curves[0].labelsCurve.map { String(format: "%g labels", $0.labels) }.joined(separator: " | ") + " |",
                      "|---|" + String(repeating: "---|", count: curves[0].labelsCurve.count)]
            for c in curves { lines.append("| \(c.condition.name) | " + c.labelsCurve.map { accuracyText($0.accuracy) }.joined(separator: " | ") + " |") }
        }
        return lines
    }

    /// A row per condition: each arm any condition has (mean, 95% CI), data − model, and how well
    /// validation ranked the model candidates where there were some.
    static func conditionTable(_ conditions: [ClaimResult.ConditionResult]) -> [String] {
        let columns: [(String, (ClaimResult.ConditionResult) -> String?)] = [
            ("baseline", { accuracy($0.analysis.arm(.baseline)) }),
            ("model-centric", { accuracy($0.analysis.arm(.modelCentric)) }),
            ("model-centric (best on test, upper bound)", { accuracy($0.analysis.arms.first { $0.arm == .modelCentric && $0.isUpperBound }) }),
            ("data-centric", { accuracy($0.analysis.arm(.dataCentric)) }),
            ("data-then-model", { accuracy($0.analysis.arm(.dataThenModel)) }),
            ("data − model", { difference($0.analysis.dataMinusModel?.paired) }),
            ("data arm's labels per seed", { labelsSpent($0.analysis) }),
            ("τ(validation, test)", { summary($0.ranking.tau, scale: 1) }),
            ("regret of validation's pick (points)", { summary($0.ranking.regret, scale: 100) }),
        ]
        let shown = columns.filter { column in conditions.contains { column.1($0) != nil } }
        var lines = ["| condition | seeds | " + shown.map(\.0).joined(separator: " | ") + " |", "|---|---|" + String(repeating: "---|", count: shown.count)]
        for condition in conditions {
            lines.append("| \(condition.condition.name) | \(condition.analysis.seeds.count) | " + shown.map { $0.1(condition) ?? "—" }.joined(separator: " | ") + " |")
        }
        return lines
    }

    /// The test's effect per condition read, in points.
    static func effects(_ verdict: ClaimVerdict) -> String {
        verdict.effects.map { effect in
            let value = effect.comparison.map { c in
                String(format: "%+.1f [%+.1f, %+.1f], p %.2g", 100 * c.difference.mean, 100 * c.difference.lower, 100 * c.difference.upper, c.pValue)
                    + (effect.decision.map { ", " + $0.verdict.rawValue } ?? "")
            } ?? "—"
            return effect.condition.isEmpty ? value : "\(effect.condition): \(value)"
        }.joined(separator: "<br>")
    }

    /// What the data arm's whole recipe spent on labels per seed: reviewed, bought for new images,
    /// extra annotations of images it had (consensus).
    private static func labelsSpent(_ analysis: ExperimentAnalysis) -> String? {
        guard let arm = analysis.arm(.dataCentric), arm.summary.count > 0 else { return nil }
        let e = arm.stepEffort, n = Double(arm.summary.count)
        let extra = e.annotations - e.collected
        return String(format: "%.0f reviewed, %.0f bought", Double(e.reviewed) / n, Double(e.collected) / n)
            + (extra > 0 ? String(format: ", %.0f extra annotations", Double(extra) / n) : "")
    }

    private static func accuracy(_ arm: ArmResult?) -> String? { arm.map { accuracyText($0.summary) } }

    private static func accuracyText(_ s: Summary) -> String { String(format: "%.1f%% [%.1f, %.1f]", 100 * s.mean, 100 * s.lower, 100 * s.upper) }

    private static func difference(_ d: PairedComparison?) -> String? {
        guard let d else { return nil }
        return String(format: "%+.1f [%+.1f, %+.1f]", 100 * d.difference.mean, 100 * d.difference.lower, 100 * d.difference.upper)
    }

    /// Mean and 95% interval of per-seed values, scaled (nil without values; NaN seeds left out).
    private static func summary(_ values: [Int: Double], scale: Double) -> String? {
        let finite = values.values.filter(\.isFinite)
        guard !finite.isEmpty else { return nil }
        let s = Summary(finite.map { $0 * scale })
        return String(format: scale == 1 ? "%.2f [%.2f, %.2f]" : "%.1f [%.1f, %.1f]", s.mean, s.lower, s.upper)
    }

    private static func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
}
