"""Data-centric minus model-centric, paired over seeds, from the trials.csv files of the protocol-v1 run
committed in results/ (flywheel reproduce at f672987), with that run's choice rule: per seed the model-centric arm
keeps the candidate with the best validation accuracy as delivered, the baseline first and then the variants by
name winning ties. The v1 reports did not print this difference; this script reads it off their trial tables.

Usage (Python with NumPy and SciPy): python scripts/v1_data_minus_model.py results/protocol-v1/steel-defects/trials.csv [more trials.csv ...]
"""
import csv
import sys

import numpy as np
from scipy import stats


def main(paths):
    for path in paths:
        rows = [r for r in csv.DictReader(open(path)) if r["status"] == "completed"]
        seeds = sorted({int(r["seed"]) for r in rows if r["arm"] == "baseline"})
        differences = []
        for seed in seeds:
            mine = [r for r in rows if int(r["seed"]) == seed]
            candidates = [r for r in mine if r["arm"] == "baseline"] + sorted(
                (r for r in mine if r["arm"] == "model-centric"), key=lambda r: r["variant"])
            chosen = candidates[0]
            for r in candidates[1:]:
                if float(r["validation_accuracy"]) > float(chosen["validation_accuracy"]):
                    chosen = r
            data = [r for r in mine if r["arm"] == "data-centric"]
            if data:
                differences.append(float(data[0]["accuracy"]) - float(chosen["accuracy"]))
        d = np.asarray(differences)
        half = stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
        p = stats.ttest_1samp(d, 0).pvalue
        print(f"{rows[0]['experiment']}: data − model {100 * d.mean():+.1f} [{100 * (d.mean() - half):+.1f}, {100 * (d.mean() + half):+.1f}], "
              f"p={p:.2g} over {len(d)} seeds")


if __name__ == "__main__":
    main(sys.argv[1:])
