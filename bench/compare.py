#!/usr/bin/env python3
"""Flywheel's engine beside peer frameworks, measured in one sitting on this machine.

For every variant × thread count, runs `flywheel bench` and each peer of ../shared/bench/peers
alternately, `--reps` times each, every run wrapped in ../shared/bench/guard.py (waits for an idle
machine, rejects runs disturbed by other load; a disturbed run is retried once). Prints a markdown
table of medians with Flywheel / peer ratios and writes every run to OUT_DIR/compare.jsonl.

  bench/compare.py --flywheel .build/release/flywheel --shared ../shared --py-tf .venv-peers-tf/bin/python
"""
import argparse
import json
import os
import statistics
import subprocess
import sys


def run_guarded(guard, cmd, env):
    """Runs cmd under guard.py; returns (parsed RESULT/JSON line or None, guard record)."""
    out = subprocess.run([sys.executable, guard, "--"] + cmd, capture_output=True, text=True, env=env)
    result, record = None, {}
    for line in (out.stdout + out.stderr).splitlines():
        if line.startswith("GUARD "):
            record = json.loads(line[6:])
        elif line.startswith("RESULT "):
            result = json.loads(line[7:])
        elif line.startswith("{") and '"engine"' in line:
            result = json.loads(line)
    if result is None:
        sys.stderr.write(f"no result from {' '.join(cmd)}:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}\n")
    return result, record


def measure(guard, cmd, env):
    """One clean run if possible (a run disturbed by other load is retried once)."""
    result, record = run_guarded(guard, cmd, env)
    if result is not None and not record.get("clean", True):
        retry, retry_record = run_guarded(guard, cmd, env)
        if retry is not None:
            result, record = retry, retry_record
    if result is not None:
        result["clean"] = record.get("clean")
    return result


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--flywheel", default=".build/release/flywheel")
    p.add_argument("--shared", default="../shared")
    p.add_argument("--py-tf", default=".venv-peers-tf/bin/python")
    p.add_argument("--variants", nargs="+", default=["reference", "wide"])
    p.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--out", default="bench-results")
    a = p.parse_args()

    bench = os.path.join(a.shared, "bench")
    guard = os.path.join(bench, "guard.py")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    os.makedirs(a.out, exist_ok=True)
    runs = []
    for variant in a.variants:
        for threads in a.threads:
            cpus = "0" if threads == 1 else "0,1"
            commands = {
                "flywheel": ["taskset", "-c", cpus, a.flywheel, "bench", "--variant", variant,
                             "--threads", str(threads), "--format", "json"],
                "tensorflow": ["taskset", "-c", cpus, a.py_tf, os.path.join(bench, "peers", "bench_tf.py"),
                               "--threads", str(threads), "--variant", variant],
            }
            for rep in range(a.reps):
                for engine, cmd in commands.items():
                    r = measure(guard, cmd, env)
                    if r is None:
                        continue
                    train = r.get("train_images_per_second", r.get("train_img_s"))
                    infer = r.get("infer_images_per_second", r.get("infer_img_s"))
                    row = {"engine": engine, "variant": variant, "threads": threads, "rep": rep,
                           "train_img_s": train, "infer_img_s": infer, "clean": r.get("clean"), "raw": r}
                    runs.append(row)
                    print(f"{engine:10s} {variant:9s} {threads}t rep {rep}: train {train:8.1f} img/s, "
                          f"infer {infer:8.1f} img/s, clean {r.get('clean')}", flush=True)
    with open(os.path.join(a.out, "compare.jsonl"), "w") as f:
        for r in runs:
            f.write(json.dumps(r) + "\n")

    print("\n| variant | threads | Flywheel train img/s | TensorFlow train img/s | ratio | "
          "Flywheel infer img/s | TensorFlow infer img/s | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for variant in a.variants:
        for threads in a.threads:
            def med(engine, key):
                vals = [r[key] for r in runs if r["engine"] == engine and r["variant"] == variant
                        and r["threads"] == threads]
                return statistics.median(vals) if vals else float("nan")
            ft, tt = med("flywheel", "train_img_s"), med("tensorflow", "train_img_s")
            fi, ti = med("flywheel", "infer_img_s"), med("tensorflow", "infer_img_s")
            print(f"| {variant} | {threads} | {ft:.0f} | {tt:.0f} | {ft / tt:.2f}× | {fi:.0f} | {ti:.0f} | {fi / ti:.2f}× |")


if __name__ == "__main__":
    main()
