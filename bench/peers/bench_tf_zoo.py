#!/usr/bin/env python3
"""TensorFlow-CPU (Keras 3 + tf.function, oneDNN) peers of the networks Flywheel's experiments
train: cnn-deep and resnet-8 on 32×32 gray images (and at 64 and 128 pixels, gray and RGB), and resnet-18 at 128
pixels, 6 classes, batch 16, SGD lr 0.01 momentum
0.9, random data; the same layers as Flywheel's model zoo (Sources/Engine/Models/ModelZoo.swift),
in NHWC. Prints one RESULT line like ../shared/bench/peers (images/s, GFLOP/s) plus the forward
FLOPs per image counted from the Keras layers, which bench/compare.py checks against Flywheel's.

  .venv-peers-tf/bin/python bench/peers/bench_tf_zoo.py --variant cnn-deep-32 --threads 1
"""
import argparse
import json
import os
import time

VARIANTS = {  # name: (input size, input channels)
    "cnn-deep-32": (32, 1), "cnn-deep-64": (64, 1), "cnn-deep-128": (128, 1), "cnn-deep-128-rgb": (128, 3),
    "resnet-8-32": (32, 1), "resnet-8-64": (64, 1), "resnet-8-128": (128, 1), "resnet-8-128-rgb": (128, 3),
    "resnet-18-128": (128, 1), "resnet-18-128-rgb": (128, 3),
}
BATCH, CLASSES = 16, 6

p = argparse.ArgumentParser()
p.add_argument("--variant", choices=sorted(VARIANTS), required=True)
p.add_argument("--threads", type=int, default=1, choices=[1, 2])
p.add_argument("--warmup", type=int, default=5)
p.add_argument("--min-steps", type=int, default=10)
p.add_argument("--min-seconds", type=float, default=None, help="default 6 s at 128 pixels, 3 s below")
a = p.parse_args()
for key in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ[key] = str(a.threads)
os.sched_setaffinity(0, set(range(a.threads)))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("KERAS_BACKEND", "tensorflow")

import tensorflow as tf  # noqa: E402


def resident_mb():
    """The process's resident set size in MB, from /proc/self/statm — what `flywheel bench` reports."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576

tf.config.threading.set_intra_op_parallelism_threads(a.threads)
tf.config.threading.set_inter_op_parallelism_threads(1)
L = tf.keras.layers
size, channels = VARIANTS[a.variant]
seconds = a.min_seconds or (6.0 if size == 128 else 3.0)


def conv(channels, kernel=3, stride=1, activation=None, bias=True):
    return L.Conv2D(channels, kernel, strides=stride, padding="same", activation=activation, use_bias=bias)


def cnn_deep(x):
    """Per stage (16, 32, 64): conv + ReLU, conv + ReLU, 2×2 max pool; dense 128 + ReLU; dense 6."""
    for width in (16, 32, 64):
        x = conv(width, activation="relu")(x)
        x = conv(width, activation="relu")(x)
        x = L.MaxPool2D(2)(x)
    x = L.Dense(128, activation="relu")(L.Flatten()(x))
    return L.Dense(CLASSES)(x)


def residual_block(x, channels, stride):
    """conv-BN-ReLU-conv-BN (no bias) plus the input, or a 1×1 conv + BN where the shape changes; then ReLU."""
    y = L.BatchNormalization()(conv(channels, stride=stride, bias=False)(x))
    y = L.BatchNormalization()(conv(channels, bias=False)(L.ReLU()(y)))
    if stride != 1 or x.shape[-1] != channels:
        x = L.BatchNormalization()(conv(channels, kernel=1, stride=stride, bias=False)(x))
    return L.ReLU()(L.Add()([x, y]))


def resnet(x, stem_stride, widths, blocks_per_stage):
    """Stem conv widths[0] (stride stem_stride) + BN + ReLU; per stage blocks_per_stage blocks, the first of each
    stage after the first /2; global average pool, dense 6. resnet-8: stride 1, (16, 32, 64), one block a stage;
    resnet-18: stride 2, (32, 64, 128, 256), two."""
    x = L.ReLU()(L.BatchNormalization()(conv(widths[0], stride=stem_stride, bias=False)(x)))
    for stage, channels in enumerate(widths):
        for block in range(blocks_per_stage):
            x = residual_block(x, channels, 2 if stage > 0 and block == 0 else 1)
    return L.Dense(CLASSES)(L.GlobalAveragePooling2D()(x))


inputs = L.Input((size, size, channels))
if a.variant.startswith("cnn-deep"):
    outputs = cnn_deep(inputs)
elif a.variant.startswith("resnet-18"):
    outputs = resnet(inputs, 2, (32, 64, 128, 256), 2)
else:
    outputs = resnet(inputs, 1, (16, 32, 64), 1)
model = tf.keras.Model(inputs, outputs)


def forward_flops(model):
    """2 × multiply-accumulates of the convolutions and dense layers, as Flywheel counts them."""
    total = 0
    for layer in model.layers:
        if isinstance(layer, L.Conv2D):
            _, h, w, c_out = layer.output.shape
            k = layer.kernel_size[0] * layer.kernel_size[1]
            total += 2 * h * w * c_out * layer.input.shape[-1] * k
        elif isinstance(layer, L.Dense):
            total += 2 * layer.input.shape[-1] * layer.units
    return total


optimizer = tf.keras.optimizers.SGD(learning_rate=0.01, momentum=0.9)
loss_function = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
x = tf.random.normal((BATCH, size, size, channels))
y = tf.random.uniform((BATCH,), 0, CLASSES, dtype=tf.int32)


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = loss_function(y, model(x, training=True))
    optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))
    return loss


@tf.function
def infer_step(x):
    return model(x, training=False)


def timed(step):
    for _ in range(a.warmup):
        result = step()
    result.numpy()
    steps, start = 0, time.perf_counter()
    while True:
        result = step()
        steps += 1
        if steps >= a.min_steps:
            result.numpy()
            elapsed = time.perf_counter() - start
            if elapsed >= seconds:
                return steps * BATCH / elapsed


train, infer = timed(lambda: train_step(x, y)), timed(lambda: infer_step(x))
flops = forward_flops(model)
print("RESULT " + json.dumps({
    "peer": "tensorflow", "version": tf.__version__, "variant": a.variant, "threads": a.threads, "batch": BATCH,
    "train_img_s": round(train, 1), "infer_img_s": round(infer, 1), "forward_flops": flops,
    "train_gflop_s": round(train * 3 * flops / 1e9, 2), "infer_gflop_s": round(infer * flops / 1e9, 2),
    "resident_mb": round(resident_mb(), 1),
}), flush=True)
