#!/usr/bin/env python3
"""`flywheel label-issues` beside pandas + cleanlab on the same files, measured in one sitting.

  bench/label_issues.py --flywheel .build/release/flywheel [--sizes 200000,1000000] [--classes 10] [--reps 3]

For each size: generates labels with 10% flipped and probabilities from noisy logits (seeded),
saves them as CSV (6 decimals) and as .npy (int64 labels, float32 probabilities), then times,
end to end as a user runs them, each the median of --reps runs:
  - flywheel label-issues --labels L --pred-probs P --out review.csv   (CSV files, then .npy files)
  - python: pandas.read_csv (or np.load) + cleanlab.filter.find_label_issues + DataFrame.to_csv,
    timed both as a whole process (interpreter start and imports included, as a user runs a script)
    and from after the imports (what a notebook that already imported them pays)
Peak resident memory comes from /usr/bin/time (Debian's `time` package). Checks that both flag the same samples.
Needs numpy, pandas and cleanlab in the interpreter that runs it.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np

PEER = r"""
import sys, time, numpy as np, pandas as pd
from cleanlab.filter import find_label_issues
start = time.perf_counter()
labels_path, probs_path, out = sys.argv[1:4]
if labels_path.endswith(".npy"):
    labels, probs = np.load(labels_path), np.load(probs_path)
else:
    labels = pd.read_csv(labels_path)["label"].to_numpy()
    probs = pd.read_csv(probs_path, header=None).to_numpy()
ranked = find_label_issues(labels, probs, filter_by="prune_by_noise_rate", return_indices_ranked_by="self_confidence")
pd.DataFrame({"id": ranked, "given_label": labels[ranked], "suggested_label": probs[ranked].argmax(1)}).to_csv(out, index=False)
print(f"ELAPSED {time.perf_counter() - start}")
"""


def generate(folder, n, k, seed=0):
    rng = np.random.default_rng(seed)
    true = rng.integers(0, k, n)
    labels = true.copy()
    flip = rng.random(n) < 0.1
    labels[flip] = rng.integers(0, k, flip.sum())
    logits = rng.normal(0, 1, (n, k))
    logits[np.arange(n), true] += 2.5
    probs = np.exp(logits)
    probs /= probs.sum(1, keepdims=True)
    np.savetxt(f"{folder}/labels.csv", labels, fmt="%d", header="label", comments="")
    np.savetxt(f"{folder}/probs.csv", probs, fmt="%.6f", delimiter=",")
    np.save(f"{folder}/labels.npy", labels.astype(np.int64))
    np.save(f"{folder}/probs.npy", probs.astype(np.float32))


def timed(cmd, folder):
    """Wall seconds and peak resident memory (MB) of one run of cmd, and the time it reports of
    itself. Memory comes from /usr/bin/time: a child forked from this Python process would carry
    the parent's high-water mark in its own rusage."""
    report = f"{folder}/time.txt"
    start = time.perf_counter()
    run = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", report] + cmd, stdout=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - start
    if run.returncode != 0:
        sys.exit(f"error: {' '.join(cmd)} exited with {run.returncode}")
    with open(report) as f:
        peak_kb = int(f.read().split()[-1])
    inside = [float(line.split()[1]) for line in run.stdout.splitlines() if line.startswith("ELAPSED ")]
    return seconds, peak_kb / 1024, (inside[0] if inside else None)


def flagged_ids(path):
    with open(path) as f:
        next(f)
        return {int(line.split(",", 1)[0]) for line in f if line.strip()}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flywheel", default=".build/release/flywheel")
    parser.add_argument("--sizes", default="200000,1000000")
    parser.add_argument("--classes", type=int, default=10)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    print("| samples × classes | input | flywheel label-issues | pandas/numpy + cleanlab, whole process | ratio | "
          "pandas/numpy + cleanlab, after imports | ratio | flywheel peak MB | peer peak MB | same flags |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for n in [int(s) for s in args.sizes.split(",")]:
        with tempfile.TemporaryDirectory() as folder:
            generate(folder, n, args.classes)
            for kind in ["csv", "npy"]:
                labels, probs = f"{folder}/labels.{kind}", f"{folder}/probs.{kind}"
                ours, theirs, inside, memory, peer_memory = [], [], [], [], []
                for rep in range(args.reps):
                    out = f"{folder}/flywheel-{kind}-{rep}.csv"
                    seconds, peak, _ = timed([args.flywheel, "label-issues", "--labels", labels, "--pred-probs", probs, "--out", out], folder)
                    ours.append(seconds)
                    memory.append(peak)
                    whole, peer_peak, after_imports = timed([sys.executable, "-c", PEER, labels, probs, f"{folder}/peer-{kind}.csv"], folder)
                    theirs.append(whole)
                    inside.append(after_imports)
                    peer_memory.append(peer_peak)
                same = flagged_ids(f"{folder}/flywheel-{kind}-0.csv") == flagged_ids(f"{folder}/peer-{kind}.csv")
                a, b, c = statistics.median(ours), statistics.median(theirs), statistics.median(inside)
                print(f"| {n:,} × {args.classes} | {kind} | {a:.2f} s | {b:.2f} s | {b / a:.1f}× | {c:.2f} s | {c / a:.1f}× "
                      f"| {max(memory):.0f} | {max(peer_memory):.0f} | {'yes' if same else 'NO'} |")


if __name__ == "__main__":
    main()
