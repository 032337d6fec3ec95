import Claims
import Harness
import Store

extension NotebookExport {
    /// A notebook that reloads every condition's merged results and rebuilds the claims' verdict
    /// table: per claim and condition read, the effect a − b paired over seeds, its 95% Student-t
    /// interval and p-value, whether it says what the claim predicts, and the verdict.
    /// `mergedPaths` maps claim name, then condition name, to the merged file (relative to the notebook).
    public static func renderClaims(_ results: [ClaimResult], mergedPaths: [String: [String: String]], command: String) throws -> String {
        let entries = results.map { result -> String in
            let test = result.claim.test
            let paths = result.claim.conditions.map { "\(pythonString($0.name)): \(pythonString(mergedPaths[result.claim.name]?[$0.name] ?? ""))" }
            return "    {\"claim\": \(pythonString(result.claim.name)), \"a\": (\(pythonString(armColumn(test.a.arm))), \(sideConditions(test.a, at: test.at))), "
                + "\"b\": (\(pythonString(armColumn(test.b.arm))), \(sideConditions(test.b, at: test.at))), \"expect\": \(pythonString(test.expect.rawValue)), "
                + "\"margin\": \(test.margin), \"at\": [\(test.at.map(pythonString).joined(separator: ", "))], \"paths\": {\(paths.joined(separator: ", "))}},"
        }.joined(separator: "\n")
        let cells: [[String: Any]] = [
            markdown("""
                # What the article claims, measured

                Reloads the merged results of every claim's conditions (written by `\(command)`) and rebuilds the \
                verdict table: per claim and condition its pre-registered test reads, the effect a − b in test \
                accuracy paired over seeds, its 95% Student-t interval and paired t-test p-value, and the verdict \
                (supported where the interval says what the claim predicts in every condition read, depends where in \
                some, not supported where in none).
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

                rows = []
                for claim in CLAIMS:
                    # Each arm's test accuracy per seed, as Flywheel's analysis wrote it into the merged file.
                    values = {c: load_table(p, "per_seed").set_index("seed") for c, p in claim["paths"].items()}
                    for condition in claim["at"]:
                        side = lambda s: values[s[1][condition]].get(s[0], pd.Series(dtype=float))
                        a, b = side(claim["a"]), side(claim["b"])
                        seeds = len(a.dropna().index.intersection(b.dropna().index))
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
        ]
        return try encode(cells)
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
