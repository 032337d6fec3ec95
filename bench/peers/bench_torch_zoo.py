#!/usr/bin/env python3
"""PyTorch-CPU peers of the networks Flywheel benchmarks: the reference and wide CNNs of
../shared/bench/reference-cnn.md (batch 32) and the experiments' cnn-deep and resnet-8 at 32×32
(batch 16) — and both at 64 and 128 pixels, gray and RGB, and resnet-18 at 128 (batch 16) — 6 classes, SGD lr 0.01 momentum 0.9, random data; the same layers as Flywheel's model
zoo (Sources/Engine/Models/ModelZoo.swift). Eager NCHW by default; --channels-last runs NHWC
(what oneDNN prefers on CPU), --compile wraps the model in torch.compile (Inductor's C++ backend,
which needs a C++ compiler and no network). Prints one RESULT line like ../shared/bench/peers
(images/s, GFLOP/s) plus the forward FLOPs per image counted from the modules, which
bench/compare.py checks against Flywheel's.

  .venv-peers-torch/bin/python bench/peers/bench_torch_zoo.py --variant resnet-8-32 --threads 1 --channels-last
"""
import argparse
import json
import os
import time

VARIANTS = {  # name: (input size, input channels, batch)
    "reference": (64, 1, 32), "wide": (128, 1, 32),
    "cnn-deep-32": (32, 1, 16), "cnn-deep-64": (64, 1, 16), "cnn-deep-128": (128, 1, 16), "cnn-deep-128-rgb": (128, 3, 16),
    "resnet-8-32": (32, 1, 16), "resnet-8-64": (64, 1, 16), "resnet-8-128": (128, 1, 16), "resnet-8-128-rgb": (128, 3, 16),
    "resnet-18-128": (128, 1, 16), "resnet-18-128-rgb": (128, 3, 16),
}
CLASSES = 6

p = argparse.ArgumentParser()
p.add_argument("--variant", choices=sorted(VARIANTS), required=True)
p.add_argument("--threads", type=int, default=1, choices=[1, 2])
p.add_argument("--channels-last", action="store_true", help="NHWC memory format")
p.add_argument("--compile", action="store_true", help="torch.compile (Inductor, C++ backend)")
p.add_argument("--warmup", type=int, default=5)
p.add_argument("--min-steps", type=int, default=10)
p.add_argument("--min-seconds", type=float, default=None, help="default 6 s at 128 pixels, 3 s below")
a = p.parse_args()
for key in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[key] = str(a.threads)
os.sched_setaffinity(0, set(range(a.threads)))

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402


def resident_mb():
    """The process's resident set size in MB, from /proc/self/statm — what `flywheel bench` reports."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576

torch.set_num_threads(a.threads)
try:
    torch.set_num_interop_threads(1)
except RuntimeError:
    pass
torch.manual_seed(0)
size, channels, batch = VARIANTS[a.variant]


def conv(c_in, c_out, kernel=3, stride=1, bias=True):
    return nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, bias=bias)


def plain(widths, hidden):
    """Per stage: conv + ReLU (twice for cnn-deep), 2×2 max pool; dense hidden + ReLU; dense 6."""
    layers, c_in, side = [], channels, size
    for stage in widths:
        for width in stage:
            layers += [conv(c_in, width), nn.ReLU()]
            c_in = width
        layers.append(nn.MaxPool2d(2))
        side //= 2
    return nn.Sequential(*layers, nn.Flatten(), nn.Linear(c_in * side * side, hidden), nn.ReLU(), nn.Linear(hidden, CLASSES))


class ResidualBlock(nn.Module):
    """conv-BN-ReLU-conv-BN (no bias) plus the input, or a 1×1 conv + BN where the shape changes; then ReLU."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.main = nn.Sequential(conv(c_in, c_out, stride=stride, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
                                  conv(c_out, c_out, bias=False), nn.BatchNorm2d(c_out))
        self.shortcut = (nn.Sequential(conv(c_in, c_out, kernel=1, stride=stride, bias=False), nn.BatchNorm2d(c_out))
                         if stride != 1 or c_in != c_out else nn.Identity())

    def forward(self, x):
        return torch.relu(self.main(x) + self.shortcut(x))


def resnet(stem_stride, widths, blocks_per_stage):
    """Stem conv widths[0] (stride stem_stride) + BN + ReLU; per stage blocks_per_stage blocks, the first of each
    stage after the first /2; global average pool, dense 6. resnet-8: stride 1, (16, 32, 64), one block a stage;
    resnet-18: stride 2, (32, 64, 128, 256), two."""
    blocks, c_in = [], widths[0]
    for stage, width in enumerate(widths):
        for block in range(blocks_per_stage):
            blocks.append(ResidualBlock(c_in, width, 2 if stage > 0 and block == 0 else 1))
            c_in = width
    return nn.Sequential(conv(channels, widths[0], stride=stem_stride, bias=False), nn.BatchNorm2d(widths[0]), nn.ReLU(), *blocks,
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c_in, CLASSES))


model = {"reference": lambda: plain([[16], [32], [64]], 128), "wide": lambda: plain([[32], [64], [128]], 256),
         "cnn-deep": lambda: plain([[16, 16], [32, 32], [64, 64]], 128), "resnet-8": lambda: resnet(1, (16, 32, 64), 1),
         "resnet-18": lambda: resnet(2, (32, 64, 128, 256), 2)}[
    a.variant if a.variant in ("reference", "wide") else a.variant.rsplit("-", 2 if a.variant.endswith("-rgb") else 1)[0]]()


def forward_flops(model):
    """2 × multiply-accumulates of the convolutions and dense layers, as Flywheel counts them."""
    total, hooks = 0, []

    def count(module, inputs, output):
        nonlocal total
        if isinstance(module, nn.Conv2d):
            k = module.kernel_size[0] * module.kernel_size[1]
            total += 2 * output.shape[2] * output.shape[3] * module.out_channels * module.in_channels * k
        elif isinstance(module, nn.Linear):
            total += 2 * module.in_features * module.out_features
    for module in model.modules():
        hooks.append(module.register_forward_hook(count))
    with torch.no_grad():
        model.eval()
        model(torch.zeros(1, channels, size, size))
    for hook in hooks:
        hook.remove()
    return total


flops = forward_flops(model)
x = torch.randn(batch, channels, size, size)
y = torch.randint(0, CLASSES, (batch,))
if a.channels_last:
    model = model.to(memory_format=torch.channels_last)
    x = x.contiguous(memory_format=torch.channels_last)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
loss_function = nn.CrossEntropyLoss()
forward = torch.compile(model) if a.compile else model


def train_step():
    optimizer.zero_grad(set_to_none=True)
    loss = loss_function(forward(x), y)
    loss.backward()
    optimizer.step()
    return loss


def infer_step():
    with torch.inference_mode():
        return forward(x)


def timed(step, seconds):
    for _ in range(a.warmup + (3 if a.compile else 0)):
        result = step()
    float(result.sum())
    steps, start = 0, time.perf_counter()
    while True:
        result = step()
        steps += 1
        if steps >= a.min_steps:
            float(result.sum())
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return steps * batch / elapsed


seconds = a.min_seconds or (6.0 if size == 128 else 3.0)
model.train()
train = timed(train_step, seconds)
model.eval()
infer = timed(infer_step, seconds)
print("RESULT " + json.dumps({
    "peer": "pytorch", "version": torch.__version__, "variant": a.variant, "threads": a.threads, "batch": batch,
    "channels_last": a.channels_last, "compile": a.compile, "torch_threads": torch.get_num_threads(),
    "train_img_s": round(train, 1), "infer_img_s": round(infer, 1), "forward_flops": flops,
    "train_gflop_s": round(train * 3 * flops / 1e9, 2), "infer_gflop_s": round(infer * flops / 1e9, 2),
    "resident_mb": round(resident_mb(), 1),
}), flush=True)
