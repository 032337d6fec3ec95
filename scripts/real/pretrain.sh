#!/usr/bin/env bash
# The transfer lever of the real-image table (experiments/real/*.yaml): for each evaluated set, a
# network pretrained on the OTHER public sets, never on the evaluated one.
#
#   scripts/real/pretrain.sh SET [SET …]
#
# For SET it lists every image of the other sets (class names prefixed by their set, e.g.
# "xsdd.red-iron") in data/real-pretraining-without-SET.csv, imports them at 64 px with SET's
# channels (grey or RGB, so the experiment can check by SHA-256 of the pixels that pretraining saw
# none of SET's images), runs experiments/real/pretraining/without-SET.yaml (one trial, the
# pretraining itself; its report in results/real/pretraining/) and copies that trial file, weights
# included, to data/pretrained-without-SET.h5, the file the evaluated experiment's `init:` names.
# A step whose output exists is skipped; the pretraining experiment resumes like any run.
#
# Needs scripts/fetch-real.sh to have prepared data/real/<set>/ and NEU in $NEU (../shared/data/neu-det).
# FLYWHEEL names the binary (default .build/release/flywheel). Exit status 2, naming the set and what
# was expected, when a source folder is missing or the set is unknown. The pretrainings run side by
# side, one per core.
set -euo pipefail
cd "$(dirname "$0")/../.."

FLYWHEEL=${FLYWHEEL:-.build/release/flywheel}
NEU=${NEU:-../shared/data/neu-det}
ALL_SETS=(neu-det xsdd deeppcb bccd)
COLOUR_SETS=" bccd "

fail() { echo "pretrain: $*" >&2; exit 2; }

source_folder() {  # SET: its class-per-folder tree
  if [ "$1" = neu-det ]; then echo "$NEU"; else echo "data/real/$1"; fi
}

write_csv() {  # EVALUATED CSV: every image of the other sets, labelled SET.CLASS
  local evaluated=$1 csv=$2 set folder class image
  echo "path,label" > "$csv.partial"
  for set in "${ALL_SETS[@]}"; do
    [ "$set" = "$evaluated" ] && continue
    folder=$(source_folder "$set")
    [ -d "$folder" ] || fail "$set: no images at $folder (run scripts/fetch-real.sh; NEU comes from \$NEU)"
    for class in "$folder"/*/; do
      class=$(basename "$class")
      [ "$class" = sources ] && continue
      for image in "$folder/$class"/*; do
        case "$image" in *.bmp|*.png|*.jpg|*.jpeg|*.tif|*.tiff|*.pgm|*.ppm) echo "$(realpath "$image"),$set.$class" ;; esac
      done
    done
  done >> "$csv.partial"
  mv "$csv.partial" "$csv"
}

prepare() {  # SET: its pretraining images listed and imported (skipped when its weights exist)
  local set=$1 csv=data/real-pretraining-without-$1.csv data=data/real-pretraining-without-$1-64.h5 colour=--grayscale
  [ -f "experiments/real/pretraining/without-$set.yaml" ] || fail "$set: unknown set; expected one of ${ALL_SETS[*]} (with experiments/real/pretraining/without-$set.yaml)"
  [ -f "data/pretrained-without-$set.h5" ] && return
  [[ "$COLOUR_SETS" == *" $set "* ]] && colour=""
  [ -f "$csv" ] || write_csv "$set" "$csv"
  [ -f "$data" ] || "$FLYWHEEL" data import "$csv" --out "$data" --size 64 $colour \
    --split train=0.8,val=0.1,test=0.1 --seed 1 --labels-are-gold
}

pretrain() {  # SET THREADS: its pretraining run on THREADS engine threads, its trial copied to the weights file
  local set=$1 threads=$2 weights=data/pretrained-without-$1.h5
  [ -f "$weights" ] && { echo "$set: pretrained already ($weights)"; return; }
  "$FLYWHEEL" run "experiments/real/pretraining/without-$set.yaml" --results results/real/pretraining \
    --notebooks notebooks-export/real-pretraining --jobs 1 --threads "$threads" --quiet
  local trials=(results/real/pretraining/pretrain-without-"$set"/trials/baseline-*.h5)
  [ ${#trials[@]} = 1 ] && [ -f "${trials[0]}" ] \
    || fail "$set: expected one pretraining trial in results/real/pretraining/pretrain-without-$set/trials, found ${#trials[@]}"
  cp "${trials[0]}" "$weights.partial" && mv "$weights.partial" "$weights"
  echo "$set: pretrained on the other sets → $weights"
}

[ $# -gt 0 ] || fail "name the evaluated sets, e.g. scripts/real/pretrain.sh ${ALL_SETS[*]}"
mkdir -p data
for set in "$@"; do prepare "$set"; done
# The pretrainings side by side, one per core (each on cores / side-by-side threads): one training
# of this small network uses two cores only 1.44× as fast as one (resnet-8-32, `flywheel bench`),
# so two at once on one thread each finish the four about 25% sooner than one at a time on two.
cores=$(nproc)
side_by_side=$(( cores < $# ? cores : $# ))
threads=$(( cores / side_by_side ))
running=() running_sets=()
for set in "$@"; do
  if [ ${#running[@]} -ge "$side_by_side" ]; then
    wait "${running[0]}" || fail "the pretraining for ${running_sets[0]} failed (see the lines above)"
    running=("${running[@]:1}"); running_sets=("${running_sets[@]:1}")
  fi
  pretrain "$set" "$threads" &
  running+=($!); running_sets+=("$set")
done
for i in "${!running[@]}"; do
  wait "${running[$i]}" || fail "the pretraining for ${running_sets[$i]} failed (see the lines above)"
done
