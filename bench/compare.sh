#!/usr/bin/env bash
# Sets up the TensorFlow peer in a local virtual environment (once) and runs bench/compare.py.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-bench-results}
shared=${FLYWHEEL_SHARED:-../shared}
venv=.venv-peers-tf
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import tensorflow" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q tensorflow-cpu numpy
fi
exec python3 bench/compare.py --flywheel .build/release/flywheel --shared "$shared" --py-tf "$venv/bin/python" --out "$out"
