#!/usr/bin/env python3
"""Compares one experiment's results run under two OpenBLAS kernels (standard library only).

  scripts/kernel_spread.py RESULTS_A RESULTS_B > spread.md

RESULTS_A and RESULTS_B are an experiment's results folders (holding trials.csv and arms.csv) from
runs that differ only in OPENBLAS_CORETYPE. The trial ids are the same (they hash the resolved
config), so each trial is compared with its twin. Prints markdown: per arm the mean and the
difference against the baseline under each kernel beside the seed-to-seed standard deviation, and
how far single trials moved.
"""
import csv
import statistics
import sys


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def kernel(trials):
    names = sorted({t.get("openblas_core", "") or "not recorded" for t in trials})
    return ", ".join(names)


def main(a, b):
    trials_a, trials_b = rows(f"{a}/trials.csv"), rows(f"{b}/trials.csv")
    arms_a, arms_b = {r["arm"]: r for r in rows(f"{a}/arms.csv")}, {r["arm"]: r for r in rows(f"{b}/arms.csv")}
    name_a, name_b = kernel(trials_a), kernel(trials_b)
    twins = {t["trial_id"]: t for t in trials_b}
    moved = [abs(float(t["accuracy"]) - float(twins[t["trial_id"]]["accuracy"])) * 100
             for t in trials_a if t["trial_id"] in twins and t["accuracy"] and twins[t["trial_id"]]["accuracy"]]
    if not moved:
        sys.exit("error: the two folders share no completed trial ids; were they the same experiment?")
    pct = lambda x: f"{100 * float(x):.1f}"
    signed = lambda x: f"{100 * float(x):+.1f}" if x else "—"
    print(f"| arm | {name_a}: mean | {name_b}: mean | {name_a}: Δ vs baseline | {name_b}: Δ vs baseline | seed sd ({name_a}) |")
    print("|---|---|---|---|---|---|")
    for arm in arms_a:
        if arm in arms_b:
            x, y = arms_a[arm], arms_b[arm]
            print(f"| {arm} | {pct(x['mean'])}% | {pct(y['mean'])}% | {signed(x['delta'])} | {signed(y['delta'])} | {pct(x['sd'])} |")
    identical = sum(1 for m in moved if m == 0)
    by_variant = {}
    for t in trials_a:
        if t["accuracy"]:
            by_variant.setdefault((t["arm"], t["variant"]), []).append(100 * float(t["accuracy"]))
    seed_sd = statistics.median(statistics.stdev(v) for v in by_variant.values() if len(v) > 1)
    print()
    print(f"{len(moved)} trials compared with their twins: {identical} identical; test accuracy moved by a median of "
          f"{statistics.median(moved):.1f} points, a mean of {statistics.mean(moved):.1f} and at most {max(moved):.1f}. "
          f"For scale, one variant's accuracy varies across seeds with a median standard deviation of {seed_sd:.1f} points.")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
