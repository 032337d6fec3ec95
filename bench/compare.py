#!/usr/bin/env python3
"""Flywheel's engine beside peer frameworks, measured in one sitting on this machine.

For every variant × thread count, runs `flywheel bench` and its TensorFlow peer alternately, `--reps`
times each, every run wrapped in ../shared/bench/guard.py (waits for an idle machine, rejects runs
disturbed by other load; a disturbed run is retried once). The reference and wide networks' peer is
../shared/bench/peers/bench_tf.py; the experiments' cnn-deep-32 and resnet-8-32 are
bench/peers/bench_tf_zoo.py. Before the table, the forward FLOPs per image each side counts are
compared (they must agree within 1%). Prints a markdown table of medians with Flywheel / peer
ratios; each side's effective training GFLOP/s (the direct convolution's FLOPs, the convention both
count); and the FLOPs each executed as a fraction of the machine's FMA peak (measured by flywheel
bench at the same thread count): Flywheel's Winograd executes fewer than the convention counts
(flywheel bench reports them), TensorFlow's oneDNN path asks for direct convolutions, whose count is
the convention's. Writes every run to OUT_DIR/compare.jsonl.

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
    p.add_argument("--variants", nargs="+", default=["reference", "wide", "cnn-deep-32", "resnet-8-32"])
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
                "tensorflow": ["taskset", "-c", cpus, a.py_tf, peer_script(bench, variant),
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
                           "train_img_s": train, "infer_img_s": infer,
                           "train_gflop_s": r.get("train_gflops", r.get("train_gflop_s")),
                           "executed_train_gflop_s": r.get("executed_train_gflops", r.get("train_gflops", r.get("train_gflop_s"))),
                           "fma_peak": r.get("fma_peak_gflops"), "clean": r.get("clean"), "raw": r}
                    runs.append(row)
                    print(f"{engine:10s} {variant:9s} {threads}t rep {rep}: train {train:8.1f} img/s, "
                          f"infer {infer:8.1f} img/s, clean {r.get('clean')}", flush=True)
    with open(os.path.join(a.out, "compare.jsonl"), "w") as f:
        for r in runs:
            f.write(json.dumps(r) + "\n")

    check_flops(runs, a.variants)
    print("\n| variant | threads | Flywheel train img/s | TensorFlow train img/s | ratio | Flywheel infer img/s | "
          "TensorFlow infer img/s | ratio | Flywheel train GFLOP/s: effective, executed (% of FMA peak) | "
          "TensorFlow train GFLOP/s: effective = executed (% of FMA peak) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for variant in a.variants:
        for threads in a.threads:
            def med(engine, key):
                vals = [r[key] for r in runs if r["engine"] == engine and r["variant"] == variant
                        and r["threads"] == threads and r[key] is not None]
                return statistics.median(vals) if vals else float("nan")
            ft, tt = med("flywheel", "train_img_s"), med("tensorflow", "train_img_s")
            fi, ti = med("flywheel", "infer_img_s"), med("tensorflow", "infer_img_s")
            fg, fx = med("flywheel", "train_gflop_s"), med("flywheel", "executed_train_gflop_s")
            tg, peak = med("tensorflow", "train_gflop_s"), med("flywheel", "fma_peak")
            print(f"| {variant} | {threads} | {ft:.0f} | {tt:.0f} | {ft / tt:.2f}× | {fi:.0f} | {ti:.0f} | {fi / ti:.2f}× "
                  f"| {fg:.1f}, {fx:.1f} ({100 * fx / peak:.0f}%) | {tg:.1f} ({100 * tg / peak:.0f}%) |")


def peer_script(bench, variant):
    """The TensorFlow peer of a variant: the shared one for the reference networks, ours for the experiments'."""
    if variant in ("reference", "wide"):
        return os.path.join(bench, "peers", "bench_tf.py")
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers", "bench_tf_zoo.py")


def forward_flops(row):
    """Forward FLOPs per image a run counted: its training GFLOP/s over images/s, divided by 3."""
    return row["train_gflop_s"] * 1e9 / row["train_img_s"] / 3 if row["train_img_s"] else float("nan")


def check_flops(runs, variants):
    """Both sides must count the same network: forward FLOPs per image within 1%."""
    for variant in variants:
        counts = {}
        for engine in ("flywheel", "tensorflow"):
            rows = [r for r in runs if r["engine"] == engine and r["variant"] == variant and r["train_img_s"]]
            if rows:
                counts[engine] = forward_flops(rows[0])
        if len(counts) == 2:
            agree = abs(counts["flywheel"] / counts["tensorflow"] - 1) < 0.01
            print(f"{variant}: forward MFLOP per image, Flywheel {counts['flywheel'] / 1e6:.2f}, "
                  f"TensorFlow {counts['tensorflow'] / 1e6:.2f}: {'the same network' if agree else 'DIFFERENT NETWORKS'}")
            if not agree:
                sys.exit(f"{variant}: the peer does not count the network Flywheel trains")


if __name__ == "__main__":
    main()
