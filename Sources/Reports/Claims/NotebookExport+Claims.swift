import Claims
import Harness
import Store

extension NotebookExport {
    /// A notebook that reloads every condition's merged results and rebuilds the claims' verdict
    /// table: per claim and condition read, the effect a − b paired over seeds, its 95% Student-t
    /// interval and p-value, whether it says what the claim predicts, and the verdict; then protocol
    /// v3's decision, the prediction's p-value, the claim's, Holm's adjustment over the claims and the
    /// verdict after correction, with each claim's power as the design stated it (computed from the
    /// calibration seeds before the report seeds ran, so written into the notebook, not recomputed).
    /// `mergedPaths` maps claim name, then condition name, to the merged file (relative to the notebook).
    public static func renderClaims(_ results: [ClaimResult], mergedPaths: [String: [String: String]], command: String) throws -> String {
        let entries = results.map { result -> String in
            let test = result.claim.test
            let paths = result.claim.conditions.map { "\(pythonString($0.name)): \(pythonString(mergedPaths[result.claim.name]?[$0.name] ?? ""))" }
            return "    {\"claim\": \(pythonString(result.claim.name)), \"a\": (\(pythonString(armColumn(test.a.arm))), \(sideConditions(test.a, at: test.at))), "
                + "\"b\": (\(pythonString(armColumn(test.b.arm))), \(sideConditions(test.b, at: test.at))), \"expect\": \(pythonString(test.expect.rawValue)), "
                + "\"margin\": \(test.margin), \"at\": [\(test.at.map(pythonString).joined(separator: ", "))], \"paths\": {\(paths.joined(separator: ", "))}, "
                + "\"power\": \(powerEntry(result.power))},"
        }.joined(separator: "\n")
        let cells: [[String: Any]] = [
            markdown("""
                # What the article claims, measured

                Reloads the merged results of every claim's conditions (written by `\(command)`) and rebuilds the \
                verdict table: per claim and condition its pre-registered test reads, the effect a − b in test \
                accuracy paired over seeds, its 95% Student-t interval and paired t-test p-value, and the verdict \
                (supported where the interval says what the claim predicts in every condition read, depends where in \
                some, not supported where in none). Then, as the claims table reads them: protocol v3's decision per \
                condition (better, worse, equivalent within the margin, inconclusive), the prediction's p-value, the \
                claim's (the largest over its conditions), Holm's adjustment over the claims, and the verdict after \
                correction. Each claim's power is the design's, stated before the report seeds ran (simulated from \
                the calibration seeds, which no merged file holds), so it is written here, not recomputed.
                """),
            code(loadFunctions + """

                CLAIMS = [
                \(entries)
                ]

                def paired(a, b):
                    # The effect a − b over the seeds both have: mean, 95% Student-t interval, paired t-test p-value.
                    seeds = a.dropna().index.intersection(b.dropna().index)
                    d = (a[seeds] - b[seeds]).to_numpy(dtype=float)
                    half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
                    return (d.mean(), d.mean() - half, d.mean() + half), stats.ttest_rel(a[seeds], b[seeds]).pvalue, len(seeds)

                def holds(low, high, expect, margin):
                    return low > 0 if expect == "positive" else high < 0 if expect == "negative" else (low >= -margin and high <= margin)

                rows, differences = [], []   # differences: per row, a − b on each seed both sides have
                for claim in CLAIMS:
                    # Each arm's test accuracy per seed, as Flywheel's analysis wrote it into the merged file.
                    values = {c: load_table(p, "per_seed").set_index("seed") for c, p in claim["paths"].items()}
                    for condition in claim["at"]:
                        side = lambda s: values[s[1][condition]].get(s[0], pd.Series(dtype=float))
                        a, b = side(claim["a"]), side(claim["b"])
                        both = a.dropna().index.intersection(b.dropna().index)
                        differences.append((a[both] - b[both]).to_numpy(dtype=float))
                        seeds = len(both)
                        (mean, low, high), p, _ = paired(a, b) if seeds > 1 else ((np.nan, np.nan, np.nan), np.nan, seeds)
                        rows.append({"claim": claim["claim"], "condition": condition, "seeds": seeds, "effect": mean, "ci_low": low,
                                     "ci_high": high, "p_value": p, "holds": seeds > 1 and holds(low, high, claim["expect"], claim["margin"])})
                effects = pd.DataFrame(rows)
                def verdict(group):
                    if (group.seeds < 2).any() or not group.holds.any():
                        return "not supported"
                    return "supported" if group.holds.all() else "depends"
                verdicts = effects.groupby("claim", sort=False)[list(effects.columns)].apply(verdict).rename("verdict")
                effects = effects.join(verdicts, on="claim")
                print(effects.round(4).to_string())
                """),
            code("""
                ALPHA, DEFAULT_MARGIN = 0.05, \(AnalysisPlan.defaultMargin)

                def spread(d):
                    return d.mean(), d.std(ddof=1) / np.sqrt(len(d)), len(d)

                def decision(d, margin):
                    # Equivalent: both one-sided tests against ±margin reject at α; better or worse: the two-sided test at α.
                    mean, se, n = spread(d)
                    one, two = stats.t.ppf(1 - ALPHA, n - 1), stats.t.ppf(1 - ALPHA / 2, n - 1)
                    if mean - one * se > -margin and mean + one * se < margin:
                        return "equivalent"
                    return "better" if mean - two * se > 0 else "worse" if mean + two * se < 0 else "inconclusive"

                def prediction_p(d, expect, margin):
                    # Twice the one-sided p toward the prediction (for an equivalence, the larger of its two), capped at 1:
                    # below 0.05 exactly when the 95% interval says what the claim predicts.
                    mean, se, n = spread(d)
                    def above(shift, at=False):
                        return 1 - stats.t.cdf((mean - shift) / se, n - 1) if se > 0 else float(not (mean > shift or (at and mean == shift)))
                    def below(shift, at=False):
                        return stats.t.cdf((mean - shift) / se, n - 1) if se > 0 else float(not (mean < shift or (at and mean == shift)))
                    one = {"positive": lambda: above(0), "negative": lambda: below(0),
                           "equivalent": lambda: max(above(-margin, True), below(margin, True))}[expect]()
                    return min(1.0, 2 * one)

                def holm(p):
                    adjusted, running = [1.0] * len(p), 0.0
                    for rank, i in enumerate(sorted(range(len(p)), key=lambda i: (p[i], i))):
                        running = max(running, min(1.0, (len(p) - rank) * p[i]))
                        adjusted[i] = running
                    return adjusted

                def after_correction(verdict, p_holm, power, claims):
                    if verdict != "supported" and power is not None and power["power"] < 0.8:
                        needed = f"{power['seeds_for_80']} would give 80%" if power["seeds_for_80"] else "more than 60 would be needed for 80%"
                        return f"not shown at this power (power {int(np.floor(power['power'] * 100 + 0.5))}% at {power['seeds']} seeds; {needed})"
                    if verdict != "supported":
                        return verdict
                    return "supported" if p_holm < ALPHA else f"supported alone, not after Holm's correction over {claims} claims"

                test = {claim["claim"]: claim for claim in CLAIMS}
                decided = effects[["claim", "condition"]].copy()
                decided["decision"] = [decision(d, test[c]["margin"] or DEFAULT_MARGIN) if len(d) > 1 else ""
                                       for c, d in zip(effects.claim, differences)]
                decided["prediction_p_value"] = [prediction_p(d, test[c]["expect"], test[c]["margin"]) if len(d) > 1 else 1.0
                                                 for c, d in zip(effects.claim, differences)]
                claim_p = decided.groupby("claim", sort=False).prediction_p_value.max()
                adjusted = pd.Series(holm(list(claim_p)), index=claim_p.index)
                decided["claim_p_value"] = decided.claim.map(claim_p)
                decided["claim_p_value_holm"] = decided.claim.map(adjusted)
                decided["verdict_after_correction"] = [after_correction(v, p, test[c]["power"], len(CLAIMS))
                                                       for c, v, p in zip(decided.claim, effects.verdict, decided.claim_p_value_holm)]
                print("After Holm's correction over the claims:")
                print(decided.round(4).to_string())
                """),
        ]
        return try encode(cells)
    }

    /// A claim's power as the design stated it, as a Python dict (None where the file states none).
    private static func powerEntry(_ power: ClaimPower?) -> String {
        guard let power else { return "None" }
        return "{\"power\": \(power.power), \"seeds\": \(power.seeds), \"seeds_for_80\": \(power.seedsForTarget.map(String.init) ?? "None")}"
    }

    /// How the per-seed table names a claim's arm (its column, the arm's label).
    private static func armColumn(_ arm: ClaimArm) -> String {
        arm == .modelCentricBest ? Arm.modelCentric.rawValue + ArmResult.upperBoundSuffix : arm.rawValue
    }

    /// A side's conditions as a Python dict: for each condition of `at`, the one the side is read in
    /// (`ClaimTest.Side.condition(at:)`, so the notebook resolves sides as Flywheel does).
    private static func sideConditions(_ side: ClaimTest.Side, at: [String]) -> String {
        "{" + at.map { "\(pythonString($0)): \(pythonString(side.condition(at: $0)))" }.joined(separator: ", ") + "}"
    }
}
