#!/usr/bin/env bash
# Shows that a change of structure changed no result: builds revision BASE and the working tree, runs the same experiments,
# `flywheel train` and `flywheel label-issues` with each, and compares trial ids, every HDF5
# dataset and attribute, and the reports (times, commits and versions aside). Same machine, same
# kernel, one thread per trial, so results must be bit for bit the same.
#
# Usage: scripts/same-results.sh BASE_REVISION
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: scripts/same-results.sh BASE_REVISION}
work=.build/same-results
rm -rf "$work/runs"
mkdir -p "$work/runs"
if [ ! -d "$work/base" ]; then git worktree add --detach -f "$work/base" "$base" >/dev/null; fi
git -C "$work/base" checkout -q --detach "$base"
(cd "$work/base" && swift build -c release --product flywheel >/dev/null)
swift build -c release --product flywheel >/dev/null

run_with() {   # run_with LABEL FLYWHEEL: runs in one folder for both (paths land in the outputs), then renames it
  local out="$work/runs/current" flywheel=$2
  mkdir -p "$out"
  "$flywheel" data generate steel-defects --out "$out/steel.h5" --per-class train=30,val=10,test=20 --size 16 --seed 4 >/dev/null
  for experiment in scripts/equivalence/*.yaml; do
    "$flywheel" run "$experiment" --results "$out/results" --notebooks "$out/notebooks" --jobs 1 --threads 1 --quiet >/dev/null || [ -d "$out/results/$(sed -n "s/^name: //p" "$experiment")" ] || { echo "$1 could not run $experiment"; exit 1; }
  done
  "$flywheel" train "$out/steel.h5" --epochs 2 --seed 2 --threads 1 --out "$out/train/trial.h5" --quiet >/dev/null
  "$flywheel" label-issues "$out/steel.h5" --folds 2 --epochs 2 --threads 1 --out "$out/review.csv" > "$out/label-issues.txt"
  rm "$out/steel.h5"
  mv "$out" "$work/runs/$1"
}
mkdir -p "$work/bin"   # copies, so a build started meanwhile cannot swap a binary under a run
cp "$work/base/.build/release/flywheel" "$work/bin/before"
cp .build/release/flywheel "$work/bin/after"
run_with before "$work/bin/before"
run_with after "$work/bin/after"
python=.build/python-venv/bin/python
[ -x "$python" ] || { python3 -m venv .build/python-venv && .build/python-venv/bin/pip install -q numpy h5py; }
"$python" scripts/equivalence/compare.py "$work/runs/before" "$work/runs/after"
