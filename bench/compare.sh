#!/usr/bin/env bash
# Sets up the peers in local virtual environments (once each) — TensorFlow-CPU, and PyTorch (its
# CPU wheel where download.pytorch.org is reachable, else PyPI's) — and runs bench/compare.py with
# the options after OUT_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results}
shared=${FLYWHEEL_SHARED:-../shared}
tf=.venv-peers-tf
torch=.venv-peers-torch
if [ ! -x "$tf/bin/python" ] || ! "$tf/bin/python" -c "import tensorflow" 2>/dev/null; then
    python3 -m venv "$tf"
    "$tf/bin/pip" install -q tensorflow-cpu numpy
fi
if [ ! -x "$torch/bin/python" ] || ! "$torch/bin/python" -c "import torch" 2>/dev/null; then
    python3 -m venv "$torch"
    "$torch/bin/pip" install -q numpy
    "$torch/bin/pip" install -q torch --index-url https://download.pytorch.org/whl/cpu 2>/dev/null \
        || "$torch/bin/pip" install -q torch
fi
exec python3 bench/compare.py --flywheel .build/release/flywheel --shared "$shared" --py-tf "$tf/bin/python" \
    --py-torch "$torch/bin/python" --out "$out" "${@:2}"
