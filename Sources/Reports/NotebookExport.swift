import Foundation
import Harness

/// A Jupyter notebook that reloads an experiment's merged HDF5 file with h5py and pandas and
/// redraws the arm table and chart with matplotlib: the analysis, reproducible outside Flywheel.
public enum NotebookExport {
    /// The notebook (nbformat 4) as JSON text. `mergedPath` is how the notebook finds
    /// `results/NAME.h5`, relative to the notebook's folder or absolute.
    public static func render(experiment: String, mergedPath: String, command: String) throws -> String {
        let cells: [[String: Any]] = [
            markdown("""
                # \(experiment)

                Reloads `\(mergedPath)` (written by `\(command)`; rerun it if the file is missing) and redraws \
                Flywheel's table: test accuracy per arm over seeds with a 95% Student-t interval, and the paired \
                difference against the baseline. The model-centric arm takes, per seed, the variant with the best \
                accuracy on the validation set as delivered.
                """),
            code("""
                import h5py, numpy as np, pandas as pd
                from scipy import stats
                import matplotlib
                matplotlib.use("Agg")
                import matplotlib.pyplot as plt

                RESULTS = \(pythonString(mergedPath))
                with h5py.File(RESULTS, "r") as f:
                    trials = pd.DataFrame({k: f["summary"][k][()] for k in f["summary"]})
                for column in ["trial_id", "experiment", "arm", "variant", "status"]:
                    trials[column] = trials[column].str.decode("utf-8")
                trials = trials[trials.status == "completed"]
                trials.head()
                """),
            code("""
                baseline = trials[trials.arm == "baseline"].set_index("seed")["accuracy"]
                candidates = trials[trials.arm == "model-centric"]
                chosen = candidates.sort_values(["seed", "validation_accuracy", "variant"], ascending=[True, False, True]).groupby("seed").first()["accuracy"]
                best = candidates.groupby("seed")["accuracy"].max()
                arms = {"baseline": baseline}
                if len(candidates):
                    arms["model-centric"] = chosen
                    arms["model-centric (best on test, upper bound)"] = best
                improved = trials[trials.arm == "data-centric"].set_index("seed")["accuracy"]
                if len(improved):
                    arms["data-centric"] = improved

                def interval(values):
                    values = np.asarray(values, dtype=float)
                    half = stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)) if len(values) > 1 else 0.0
                    return values.mean(), values.mean() - half, values.mean() + half

                rows = []
                for name, values in arms.items():
                    mean, low, high = interval(values)
                    seeds = values.index.intersection(baseline.index)
                    diff = (values[seeds] - baseline[seeds]) if name != "baseline" else None
                    d = interval(diff) if diff is not None else (np.nan, np.nan, np.nan)
                    p = stats.ttest_rel(values[seeds], baseline[seeds]).pvalue if diff is not None and len(seeds) > 1 else np.nan
                    rows.append({"arm": name, "seeds": len(values), "mean": mean, "ci_low": low, "ci_high": high,
                                 "delta": d[0], "delta_low": d[1], "delta_high": d[2], "p_value": p})
                table = pd.DataFrame(rows).set_index("arm")
                print(table.round(4).to_string())
                """),
            code("""
                fig, ax = plt.subplots(figsize=(7, 4))
                ax.bar(table.index, table["mean"], yerr=[table["mean"] - table["ci_low"], table["ci_high"] - table["mean"]], capsize=6,
                       color=["#4c72b0", "#dd8452", "#8c8c8c", "#55a868"][: len(table)])
                ax.set_ylabel("test accuracy")
                ax.set_title(\(pythonString(experiment + ": test accuracy by arm (95% CI)")))
                ax.tick_params(axis="x", labelsize=8)
                fig.tight_layout()
                """),
        ]
        let notebook: [String: Any] = [
            "cells": cells, "nbformat": 4, "nbformat_minor": 5,
            "metadata": ["kernelspec": ["name": "python3", "display_name": "Python 3", "language": "python"],
                         "language_info": ["name": "python"]],
        ]
        let data = try JSONSerialization.data(withJSONObject: notebook, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func markdown(_ text: String) -> [String: Any] {
        ["cell_type": "markdown", "metadata": [String: Any](), "source": lines(text), "id": stableHash(text, digits: 8)]
    }

    private static func code(_ text: String) -> [String: Any] {
        ["cell_type": "code", "metadata": [String: Any](), "source": lines(text), "outputs": [Any](), "execution_count": NSNull(),
         "id": stableHash(text, digits: 8)]
    }

    private static func lines(_ text: String) -> [String] {
        let parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        return parts.enumerated().map { $0.offset < parts.count - 1 ? $0.element + "\n" : $0.element }
    }

    private static func pythonString(_ s: String) -> String {
        "\"" + s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
