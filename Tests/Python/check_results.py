#!/usr/bin/env python3
"""Opens a Flywheel trial file and a merged results file with h5py and pandas, as a researcher
would, and prints what it found as one JSON object. Usage: check_results.py TRIAL.h5 MERGED.h5"""
import json
import sys

import h5py
import pandas as pd

trial_path, merged_path = sys.argv[1], sys.argv[2]
out = {}
with h5py.File(trial_path, "r") as f:
    out["attrs"] = {k: (v if isinstance(v, str) else v.item()) for k, v in f.attrs.items()}
    out["accuracy"] = float(f["metrics/accuracy"][()])
    out["confusion_shape"] = list(f["metrics/confusion"].shape)
    out["confusion"] = f["metrics/confusion"][()].tolist()
    out["recall"] = f["metrics/recall"][()].tolist()
    out["curves"] = {k: f["curves"][k][()].tolist() for k in f["curves"]}
    out["class_names"] = [s.decode() if isinstance(s, bytes) else s for s in f["class_names"][()]]
    out["curation"] = {name: dict(f["curation"][name].attrs) for name in f["curation"]}
    out["curation"] = {n: {k: (v if isinstance(v, str) else float(v)) for k, v in a.items()} for n, a in out["curation"].items()}
    out["weights"] = {f"{layer}/{name}": list(f["weights"][layer][name].shape) for layer in f["weights"] for name in f["weights"][layer]}
    out["kernel_sum"] = float(f["weights/00_conv2d/kernel"][()].sum())
    out["predictions_shape"] = list(f["predictions/probabilities"].shape)
with h5py.File(merged_path, "r") as f:
    summary = pd.DataFrame({k: f["summary"][k][()] for k in f["summary"]})
    for column in summary.columns:
        if summary[column].dtype == object:
            summary[column] = summary[column].str.decode("utf-8")
    out["summary_columns"] = sorted(summary.columns)
    out["summary_trial_ids"] = summary["trial_id"].tolist()
    out["summary_mean_accuracy"] = float(summary["accuracy"].mean())
    out["merged_trials"] = sorted(f["trials"].keys())
print(json.dumps(out))
