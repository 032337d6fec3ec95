#!/usr/bin/env bash
# The command line's learning-rate schedule and in-loop flips, measured (docs/measurements.md, "The command
# line's learning-rate schedule"): cnn-small, cnn-deep and resnet-8 under a constant rate and under cosine,
# 20 epochs of SGD at 0.02, on NEU and the steel scenario (the exploration, seeds 1–6, with the flips), then on
# NEU at 4 : 1, the surface and the solar scenarios (the check, seeds 7–12), and the check's rule applied.
# Prints mean ± seed standard deviation of test accuracy (points) per data set and recipe.
#
#   scripts/schedule-check.sh          # about 10 minutes on 2 cores (1,177 CPU-seconds on a Zen 4)
#
# FLYWHEEL names the binary (default .build/release/flywheel), NEU the image folder (../shared/data/neu-det).
set -euo pipefail
cd "$(dirname "$0")/.."
FLYWHEEL=$(realpath "${FLYWHEEL:-.build/release/flywheel}")
NEU=$(realpath "${NEU:-../shared/data/neu-det}")
work=.build/schedule-check
rm -rf "$work" && mkdir -p "$work/neu-4to1"

"$FLYWHEEL" data import "$NEU" --out "$work/neu.h5" --size 32 --grayscale --split train=0.5,val=0.2,test=0.3 --seed 1 --labels-are-gold >/dev/null
"$FLYWHEEL" data generate steel-defects --out "$work/steel.h5" --size 32 --per-class train=150,val=60,test=90 --seed 7 >/dev/null
"$FLYWHEEL" data generate surface-inspection --out "$work/surface.h5" --size 32 --per-class train=150,val=60,test=90 --seed 8 >/dev/null
"$FLYWHEEL" data generate solar-cells --out "$work/solar.h5" --size 32 --per-class train=150,val=60,test=90 --seed 9 >/dev/null
# NEU with its last three classes cut to a quarter: the first 300 or 75 images of each class in natural order.
index=0
for class in crazing inclusion patches pitted_surface rolled-in_scale scratches; do
  keep=$([ $index -lt 3 ] && echo 300 || echo 75)
  mkdir "$work/neu-4to1/$class"
  ls "$NEU/$class" | sort -V | head -n "$keep" | while read -r image; do ln -s "$NEU/$class/$image" "$work/neu-4to1/$class/$image"; done
  index=$((index + 1))
done
"$FLYWHEEL" data import "$work/neu-4to1" --out "$work/neu-4to1.h5" --size 32 --grayscale --split train=0.5,val=0.2,test=0.3 --seed 2 --labels-are-gold >/dev/null

run() {  # NAME DATA SEEDS VARIANTS: the constant-rate cnn-small baseline and VARIANTS as model-centric candidates
  cat > "$work/$1.yaml" <<YAML
name: $1
seeds: $3
dataset: {path: $2.h5}
baseline:
  model: cnn-small
  train: {epochs: 20, batch: 32, optimizer: sgd, lr: 0.02, momentum: 0.9}
arms:
  model-centric:
    variants: $4
YAML
  (cd "$work" && "$FLYWHEEL" run "$1.yaml" --results results --notebooks notebooks --jobs 2 --threads 1 --quiet >/dev/null)
}
schedules='[{train.schedule: cosine}, cnn-deep, {model: cnn-deep, train.schedule: cosine}, resnet-8, {model: resnet-8, train.schedule: cosine}]'
for set in neu steel; do
  run "explore-$set" "$set" '[1, 2, 3, 4, 5, 6]' "$schedules"
  run "flips-$set" "$set" '[1, 2, 3, 4, 5, 6]' '[{train.flips: true}, {train.flips: true, train.schedule: cosine}]'
done
for set in neu-4to1 surface solar; do run "check-$set" "$set" '[7, 8, 9, 10, 11, 12]' "$schedules"; done

python3 - "$work/results" <<'PY'
import csv, statistics, sys
root = sys.argv[1]
def table(name):
    rows = list(csv.DictReader(open(f"{root}/{name}/trials.csv")))
    accuracy = {}
    for row in rows: accuracy.setdefault(row["variant"], []).append(100 * float(row["accuracy"]))
    return accuracy
def show(name):
    print(name)
    for variant, values in table(name).items():
        print(f"  {variant:40s} {statistics.mean(values):5.1f} ± {statistics.stdev(values):.1f}")
for name in ["explore-neu", "explore-steel", "flips-neu", "flips-steel"]: show(name)
favoured, worst = 0, 0.0
for name in ["check-neu-4to1", "check-surface", "check-solar"]:
    show(name)
    accuracy = table(name)
    for constant, cosine in [("baseline", "train.schedule=cosine"), ("cnn-deep", "model=cnn-deep,train.schedule=cosine"),
                             ("resnet-8", "model=resnet-8,train.schedule=cosine")]:
        a, b = accuracy[constant], accuracy[cosine]
        favoured += statistics.mean(b) >= statistics.mean(a) - 1 and statistics.stdev(b) <= statistics.stdev(a)
        worst = min(worst, statistics.mean(b) - statistics.mean(a))
print(f"the check: {favoured} of 9 cells favour cosine (7 needed); cosine at worst {worst:+.1f} points (-2 allowed): "
      + ("the default becomes cosine" if favoured >= 7 and worst >= -2 else "the default stays constant"))
PY
