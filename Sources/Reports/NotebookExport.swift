import Foundation
import Harness
import Store

/// A Jupyter notebook that reloads an experiment's merged HDF5 file with h5py and pandas and
/// redraws the arm table and chart with matplotlib: the analysis, reproducible outside Flywheel.
public enum NotebookExport {
    /// The notebook (nbformat 4) as JSON text. `mergedPath` is how the notebook finds
    /// `results/NAME.h5`, relative to the notebook's folder or absolute; `metric` what the analysis
    /// measured every model by (`analysis.metric`).
    public static func render(experiment: String, mergedPath: String, command: String, metric: ScoreMetric = .accuracy) throws -> String {
        let cells: [[String: Any]] = [
            markdown("""
                # \(experiment)

                Reloads `\(mergedPath)` (written by `\(command)`; rerun it if the file is missing): the trials, and the \
                arm table and comparisons Flywheel's analysis wrote under `/analysis` — test \(metric.name) per arm over seeds \
                with a 95% Student-t interval, and the paired difference against the baseline. The model-centric arm \
                takes, per seed, the model with the best \(metric.name) on the validation set as delivered among the baseline \
                and its variants (a tie goes to the cheaper model, then the baseline; candidates tied after that count \
                equally). Data − model is the data-centric arm minus the model-centric arm, paired over seeds.
                """),
            code(loadFunctions + """

                RESULTS = \(pythonString(mergedPath))
                trials = load_trials(RESULTS)
                trials.head()
                """),
            code("""
                table = load_table(RESULTS, "arms").set_index("arm")
                comparisons = load_table(RESULTS, "comparisons").set_index("comparison")
                print(table[["seeds", "mean", "ci_low", "ci_high", "delta", "delta_ci_low", "delta_ci_high", "p_value"]].round(4).to_string())
                print(comparisons.round(4).to_string())
                """),
            code("""
                fig, ax = plt.subplots(figsize=(7, 4))
                ax.bar(table.index, table["mean"], yerr=[table["mean"] - table["ci_low"], table["ci_high"] - table["mean"]], capsize=6,
                       color=["#4c72b0", "#dd8452", "#8c8c8c", "#55a868"][: len(table)])
                ax.set_ylabel("test \(metric.name)")
                ax.set_title(\(pythonString(experiment + ": test \(metric.name) by arm (95% CI)")))
                ax.tick_params(axis="x", labelsize=8)
                fig.tight_layout()
                """),
        ]
        return try encode(cells)
    }

    /// Python that loads a merged results file: its trial table (`/summary`) and the analysis
    /// tables Flywheel wrote (`/analysis/arms`, `comparisons`, `per_seed`; see `AnalysisTables`).
    static let loadFunctions = """
        import h5py, numpy as np, pandas as pd
        from scipy import stats
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        def decoded(table):
            # h5py reads string datasets as bytes.
            for column in table.columns:
                if table[column].dtype == object:
                    table[column] = table[column].map(lambda v: v.decode("utf-8") if isinstance(v, bytes) else v)
            return table

        def load_trials(path):
            with h5py.File(path, "r") as f:
                trials = decoded(pd.DataFrame({k: f["summary"][k][()] for k in f["summary"]}))
            return trials[trials.status == "completed"]

        def load_table(path, name):
            # An analysis table as Flywheel computed it: arms, comparisons or per_seed, columns in their order.
            with h5py.File(path, "r") as f:
                group = f["analysis"][name]
                columns = group.attrs["columns"]
                columns = (columns.decode() if isinstance(columns, bytes) else columns).split("\\n")
                return decoded(pd.DataFrame({c: group[c][()] for c in columns}))
        """

    /// A notebook that reloads the three reproduction experiments and redraws Ng's table beside
    /// Flywheel's figures. `mergedPaths` maps each project's experiment name to its merged file.
    public static func renderNgTable(mergedPaths: [String: String], command: String, suite: NgTable.Suite = NgTable.ng) throws -> String {
        let projects = suite.projects.filter { mergedPaths[$0.experiment] != nil }
        let entries = projects.map { p in
            let ng = p.reported.map { "\($0.baseline), \($0.modelCentric), \($0.dataCentric)" } ?? "np.nan, np.nan, np.nan"
            return "    (\(pythonString(p.name)), \(pythonString(mergedPaths[p.experiment]!)), \(ng)),"
        }.joined(separator: "\n")
        let dataMinusModel = Comparison.dataMinusModelName
        // A suite with no reported figures (the real-image table) prints and draws no column of them.
        let ngColumn = suite.hasReported ? "\"ng\", " : ""
        let ngTicks = suite.hasReported ? "\n    ax.scatter(x, part[\"ng\"], color=\"black\", marker=\"_\", s=200, zorder=3)" : ""
        let chartTitle = suite.hasReported ? "Flywheel (bars, 95% CI) and Ng 2021 (black ticks)" : "Flywheel (bars, 95% CI)"
        let cells: [[String: Any]] = [
            markdown("""
                # \(suite.title)

                Reloads the analysis tables of each project's merged results (written by `\(command)`) and rebuilds \
                the table: \(suite.hasReported ? "Ng's reported accuracies beside " : "")Flywheel's mean test accuracy over seeds, with the paired \
                difference against the baseline, its 95% Student-t interval and p-value, and data − model.
                """),
            code(loadFunctions + """

                PROJECTS = [
                \(entries)
                ]
                rows = []
                for project, path, ng_base, ng_model, ng_data in PROJECTS:
                    arms = load_table(path, "arms").set_index("arm")
                    for arm, ng in [("\(Arm.baseline.rawValue)", ng_base), ("\(Arm.modelCentric.rawValue)", ng_model), ("\(Arm.dataCentric.rawValue)", ng_data)]:
                        if arm in arms.index:
                            rows.append({"project": project, "arm": arm, "ng": ng, **arms.loc[arm].to_dict()})
                    comparisons = load_table(path, "comparisons").set_index("comparison")
                    if \(pythonString(dataMinusModel)) in comparisons.index:
                        rows.append({"project": project, "arm": \(pythonString(dataMinusModel)), "ng": np.nan, **comparisons.loc[\(pythonString(dataMinusModel))].to_dict()})
                ng_table = pd.DataFrame(rows)
                print(ng_table[["project", "arm", \(ngColumn)"mean", "ci_low", "ci_high", "delta", "delta_ci_low", "delta_ci_high", "p_value"]].round(4).to_string())
                """),
            code("""
                fig, ax = plt.subplots(figsize=(8, 4))
                arms = ["\(Arm.baseline.rawValue)", "\(Arm.modelCentric.rawValue)", "\(Arm.dataCentric.rawValue)"]
                for i, arm in enumerate(arms):
                    part = ng_table[ng_table.arm == arm]
                    x = np.arange(len(part)) + (i - 1) * 0.27
                    ax.bar(x, part["mean"], width=0.25, yerr=[part["mean"] - part["ci_low"], part["ci_high"] - part["mean"]], capsize=4, label=arm)\(ngTicks)
                ax.set_xticks(np.arange(len(PROJECTS)), [p[0] for p in PROJECTS])
                ax.set_ylabel("test accuracy")
                ax.set_title("\(chartTitle)")
                ax.legend()
                fig.tight_layout()
                """),
        ]
        return try encode(cells)
    }

    /// A notebook, saved beside an audit's `audit.h5`, that reloads it with h5py and rebuilds the
    /// levers table: mean gain over seeds, its 95% Student-t interval and the t-test p-value.
    public static func renderAudit(command: String) throws -> String {
        let cells: [[String: Any]] = [
            markdown("""
                # Audit: the levers, rebuilt from audit.h5

                Reloads the per-seed gains `\(command)` stored in `audit.h5` (this folder) and rebuilds the levers \
                table of `audit.md` and `levers.csv`: each lever's mean gain in points of the audit's metric (accuracy, or \
                balanced accuracy with `--metric balanced-accuracy`), its 95% Student-t \
                interval over seeds, the two-sided t-test p-value against no gain, and its cost.
                """),
            code("""
                import h5py
                import numpy as np
                import pandas as pd
                from scipy import stats

                def text(values):
                    return [v.decode() if isinstance(v, bytes) else str(v) for v in values]

                with h5py.File("audit.h5", "r") as f:
                    kinds, actions = text(f["levers/kind"][()]), text(f["levers/action"][()])
                    gains, cost = 100 * f["levers/gains"][()], f["levers/cost"][()]
                    scored_on, metric = f.attrs["scored_on"], f.attrs.get("metric", "accuracy")

                def summary(g):
                    g = g[~np.isnan(g)]  # a seed whose training with the lever diverged is left out
                    n = len(g)
                    if n == 0:
                        return np.nan, np.nan, np.nan, np.nan
                    mean = g.mean()
                    if n < 2:
                        return mean, mean, mean, np.nan
                    sd = g.std(ddof=1)
                    half = stats.t.ppf(0.975, n - 1) * sd / np.sqrt(n)
                    p = (1.0 if mean == 0 else 0.0) if sd == 0 else stats.ttest_1samp(g, 0).pvalue
                    return mean, mean - half, mean + half, p

                rows = [dict(zip(["gain_points", "gain_lower", "gain_upper", "p_value"], summary(g)), kind=k, action=a, cost_units=c)
                        for k, a, g, c in zip(kinds, actions, gains, cost)]
                levers = pd.DataFrame(rows).sort_values("gain_points", ascending=False, kind="stable").reset_index(drop=True)
                levers.index += 1
                print("scored on", scored_on, "by", metric)
                print(levers[["kind", "gain_points", "gain_lower", "gain_upper", "p_value", "cost_units", "action"]].round(4).to_string())
                """),
        ]
        return try encode(cells)
    }

    static func encode(_ cells: [[String: Any]]) throws -> String {
        let notebook: [String: Any] = [
            "cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": ["kernelspec": ["name": "python3", "display_name": "Python 3", "language": "python"],
                         "language_info": ["name": "python"]],
        ]
        let data = try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    static func markdown(_ text: String) -> [String: Any] {
        ["cell_type": "markdown", "metadata": [String: Any](), "source": lines(text), "id": stableHash(text, digits: 8)]
    }

    static func code(_ text: String) -> [String: Any] {
        ["cell_type": "code", "metadata": [String: Any](), "source": lines(text), "outputs": [Any](), "execution_count": NSNull(),
         "id": stableHash(text, digits: 8)]
    }

    private static func lines(_ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }
    }

    static func pythonString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
