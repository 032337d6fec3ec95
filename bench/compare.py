#!/usr/bin/env python3
"""Flywheel's engine beside peer frameworks, measured in one sitting on this machine.

For every variant × thread count, runs `flywheel bench` and its peers — TensorFlow, and PyTorch
eager (NCHW), in channels-last and under torch.compile — alternately, `--reps` times each, every
run wrapped in ../shared/bench/guard.py (waits for an idle machine, rejects runs disturbed by other
load; a disturbed run is retried once). TensorFlow's peers are ../shared/bench/peers/bench_tf.py
for the reference and wide networks and bench/peers/bench_tf_zoo.py for the experiments'
cnn-deep-32 and resnet-8-32; PyTorch's is bench/peers/bench_torch_zoo.py for all four. Before the
table, the forward FLOPs per image each side counts are compared (they must agree within 1%).
Prints a markdown table of medians with each peer's rate and Flywheel's ratio to the faster peer;
Flywheel's effective training GFLOP/s (the direct convolution's FLOPs, the convention every side
counts) and executed GFLOP/s (Winograd multiplies less; flywheel bench counts what its kernels
execute) with their fraction of the machine's FMA peak (measured by flywheel bench at the same
thread count); and the faster peer's, whose oneDNN convolutions are direct, so that the
convention's count is what it executes. Writes every run to OUT_DIR/compare.jsonl.

  bench/compare.py --flywheel .build/release/flywheel --shared ../shared --py-tf .venv-peers-tf/bin/python \\
      --py-torch .venv-peers-torch/bin/python [--peers tensorflow pytorch pytorch-channels-last pytorch-compile]
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


PEERS = {
    # name: (interpreter option, extra arguments); the script comes from peer_script().
    "tensorflow": ("py_tf", []),
    "pytorch": ("py_torch", []),
    "pytorch-channels-last": ("py_torch", ["--channels-last"]),
    "pytorch-compile": ("py_torch", ["--compile"]),
}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--flywheel", default=".build/release/flywheel")
    p.add_argument("--shared", default="../shared")
    p.add_argument("--py-tf", default=".venv-peers-tf/bin/python")
    p.add_argument("--py-torch", default=".venv-peers-torch/bin/python")
    p.add_argument("--peers", nargs="+", default=list(PEERS), choices=list(PEERS))
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
            commands = {"flywheel": ["taskset", "-c", cpus, a.flywheel, "bench", "--variant", variant,
                                     "--threads", str(threads), "--format", "json"]}
            for peer in a.peers:
                interpreter, extra = PEERS[peer]
                commands[peer] = (["taskset", "-c", cpus, getattr(a, interpreter), peer_script(bench, variant, peer),
                                   "--threads", str(threads), "--variant", variant] + extra)
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
                           "resident_mb": r.get("resident_mb"),
                           "fma_peak": r.get("fma_peak_gflops"), "clean": r.get("clean"), "raw": r}
                    runs.append(row)
                    print(f"{engine:22s} {variant:11s} {threads}t rep {rep}: train {train:8.1f} img/s, "
                          f"infer {infer:8.1f} img/s, clean {r.get('clean')}", flush=True)
    with open(os.path.join(a.out, "compare.jsonl"), "w") as f:
        for r in runs:
            f.write(json.dumps(r) + "\n")

    check_flops(runs, a.variants, a.peers)
    print_table(runs, a.variants, a.threads, a.peers)


def print_table(runs, variants, thread_counts, peers):
    """Medians per engine; ratios against the faster peer (the best of the PyTorch modes counts as one peer each)."""
    print("\n| variant | threads | Flywheel train img/s | " + " | ".join(f"{p} train img/s" for p in peers)
          + " | ratio to the faster peer | Flywheel infer img/s | " + " | ".join(f"{p} infer img/s" for p in peers)
          + " | ratio | Flywheel train GFLOP/s: effective, executed (% of FMA peak) | faster peer's train GFLOP/s (% of FMA peak) "
          + "| resident MB after training: Flywheel, the leanest peer |")
    print("|---|---|" + "---|" * (2 * len(peers) + 7))
    for variant in variants:
        for threads in thread_counts:
            def med(engine, key):
                vals = [r[key] for r in runs if r["engine"] == engine and r["variant"] == variant
                        and r["threads"] == threads and r[key] is not None]
                return statistics.median(vals) if vals else float("nan")
            ft, fi = med("flywheel", "train_img_s"), med("flywheel", "infer_img_s")
            fg, fx, peak = med("flywheel", "train_gflop_s"), med("flywheel", "executed_train_gflop_s"), med("flywheel", "fma_peak")
            trains = {p: med(p, "train_img_s") for p in peers}
            infers = {p: med(p, "infer_img_s") for p in peers}
            fastest = max(peers, key=lambda p: trains[p] if trains[p] == trains[p] else -1)
            fastest_infer = max(peers, key=lambda p: infers[p] if infers[p] == infers[p] else -1)
            tg = med(fastest, "train_gflop_s")
            memory = {p: med(p, "resident_mb") for p in peers if med(p, "resident_mb") == med(p, "resident_mb")}
            leanest = min(memory, key=memory.get) if memory else None
            lean = f"{memory[leanest]:.0f} ({leanest})" if leanest else "not reported"
            print(f"| {variant} | {threads} | {ft:.0f} | " + " | ".join(f"{trains[p]:.0f}" for p in peers)
                  + f" | {ft / trains[fastest]:.2f}× ({fastest}) | {fi:.0f} | " + " | ".join(f"{infers[p]:.0f}" for p in peers)
                  + f" | {fi / infers[fastest_infer]:.2f}× ({fastest_infer}) | {fg:.1f}, {fx:.1f} ({100 * fx / peak:.0f}%) "
                  + f"| {tg:.1f} ({100 * tg / peak:.0f}%) | {med('flywheel', 'resident_mb'):.0f}, {lean} |")


def peer_script(bench, variant, peer):
    """A peer's script: TensorFlow's shared one for the reference networks and ours for the
    experiments'; ours for PyTorch on every network (it counts FLOPs from its modules)."""
    ours = os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers")
    if peer.startswith("pytorch"):
        return os.path.join(ours, "bench_torch_zoo.py")
    if variant in ("reference", "wide"):
        return os.path.join(bench, "peers", "bench_tf.py")
    return os.path.join(ours, "bench_tf_zoo.py")


def forward_flops(row):
    """Forward FLOPs per image a run counted: its training GFLOP/s over images/s, divided by 3."""
    return row["train_gflop_s"] * 1e9 / row["train_img_s"] / 3 if row["train_img_s"] else float("nan")


def check_flops(runs, variants, peers):
    """Every peer must count the same network: forward FLOPs per image within 1% of Flywheel's."""
    for variant in variants:
        counts = {}
        for engine in ["flywheel"] + list(peers):
            rows = [r for r in runs if r["engine"] == engine and r["variant"] == variant and r["train_img_s"]]
            if rows:
                counts[engine] = forward_flops(rows[0])
        for peer in peers:
            if "flywheel" in counts and peer in counts:
                agree = abs(counts["flywheel"] / counts[peer] - 1) < 0.01
                print(f"{variant}: forward MFLOP per image, Flywheel {counts['flywheel'] / 1e6:.2f}, "
                      f"{peer} {counts[peer] / 1e6:.2f}: {'the same network' if agree else 'DIFFERENT NETWORKS'}")
                if not agree:
                    sys.exit(f"{variant}: {peer} does not count the network Flywheel trains")


if __name__ == "__main__":
    main()
