#!/usr/bin/env bash
# Fetches the public image sets of `make reproduce-real` at pinned commits and prepares each as a
# class-per-folder tree, data/real/<set>/<class>/*.png, checked against scripts/real/expected.tsv
# (images per class and a SHA-256 over each class's pixels). Nothing here is committed as images.
#
# Where each set comes from (git repositories on GitHub; the commit is pinned):
#   xsdd     Fighter20092392/X-SDD-A-New-benchmark  (X-SDD, hot-rolled steel strip defects)
#   deeppcb  tangsanli5201/DeepPCB                  (printed-circuit-board defects)
#   bccd     Shenggan/BCCD_Dataset                  (blood-cell smears)
# The NEU images are not fetched: they are in ../shared/data/neu-det.
#
# A set already prepared (its MANIFEST.tsv matches) is left alone. Repositories are cloned into
# data/real/sources/; FLYWHEEL_SOURCES names a folder holding them already as OWNER+NAME/repo git
# directories (e.g. an offline mirror), tried first; FLYWHEEL_OFFLINE=1 never clones.
# FLYWHEEL_REAL_OUT writes somewhere else than data/real.
#
# Exit status 2, naming the set and what was expected, when a source is unreachable, lacks the
# pinned commit, or prepares to other images than expected (a partial or changed download).
set -euo pipefail
cd "$(dirname "$0")/.."

SETS=(
  "xsdd Fighter20092392/X-SDD-A-New-benchmark adf880814dbd365c73fc3643019272b5637fecc2"
  "deeppcb tangsanli5201/DeepPCB 08e98c4db5922613fb97176eb3d6497d48260cb1"
  "bccd Shenggan/BCCD_Dataset d272fb14cdff6e473fafeeeba32aba5f560e9e43"
)
OUT=${FLYWHEEL_REAL_OUT:-data/real}
PYTHON=.venv-real/bin/python

fail() { echo "fetch-real: $*" >&2; exit 2; }

python_with_pillow() {
  [ -x "$PYTHON" ] && "$PYTHON" -c "import PIL" 2>/dev/null && return
  python3 -m venv .venv-real && .venv-real/bin/pip install -q "pillow>=10,<12" \
    || fail "could not install Pillow into .venv-real (pip needs PyPI or a wheel folder in PIP_FIND_LINKS)"
}

# The git directory holding REPO at COMMIT: a mirror under FLYWHEEL_SOURCES, else a clone in data/real/sources.
source_git_dir() {
  local repo=$1 commit=$2 key=${1/\//+}
  local mirror=${FLYWHEEL_SOURCES:-}/$key/repo
  if [ -n "${FLYWHEEL_SOURCES:-}" ] && git --git-dir="$mirror" cat-file -e "$commit^{commit}" 2>/dev/null; then
    echo "$mirror"; return
  fi
  local clone=$OUT/sources/$key.git
  if ! git --git-dir="$clone" cat-file -e "$commit^{commit}" 2>/dev/null; then
    [ "${FLYWHEEL_OFFLINE:-0}" = 1 ] && fail "$repo: no mirror at ${FLYWHEEL_SOURCES:-(FLYWHEEL_SOURCES unset)}/$key/repo holds commit $commit, and FLYWHEEL_OFFLINE=1 forbids cloning"
    rm -rf "$clone"
    git clone -q --bare "https://github.com/$repo.git" "$clone" >&2 \
      || fail "$repo: could not clone https://github.com/$repo.git (offline? set FLYWHEEL_SOURCES to a folder with $key/repo)"
    git --git-dir="$clone" cat-file -e "$commit^{commit}" 2>/dev/null \
      || fail "$repo: the clone lacks the pinned commit $commit"
  fi
  echo "$clone"
}

manifest_matches() {  # SET FOLDER: the folder's MANIFEST.tsv is the expected one
  [ -f "$2/MANIFEST.tsv" ] && diff -q <(grep "^$1	" scripts/real/expected.tsv | cut -f2-) "$2/MANIFEST.tsv" >/dev/null
}

mkdir -p "$OUT"
for entry in "${SETS[@]}"; do
  read -r name repo commit <<<"$entry"
  if manifest_matches "$name" "$OUT/$name"; then echo "$name: prepared already ($OUT/$name)"; continue; fi
  git_dir=$(source_git_dir "$repo" "$commit")
  python_with_pillow
  rm -rf "$OUT/$name.partial"
  "$PYTHON" scripts/real/prepare.py "$name" --git-dir "$git_dir" --commit "$commit" --out "$OUT/$name.partial"
  if ! manifest_matches "$name" "$OUT/$name.partial"; then
    diff <(grep "^$name	" scripts/real/expected.tsv | cut -f2-) "$OUT/$name.partial/MANIFEST.tsv" >&2 || true
    fail "$name: the prepared images differ from scripts/real/expected.tsv (class, images, SHA-256) — above, expected < > prepared"
  fi
  rm -rf "$OUT/$name" && mv "$OUT/$name.partial" "$OUT/$name"
  echo "$name: $(awk -F'\t' '{n += $2} END {print n}' "$OUT/$name/MANIFEST.tsv") images in $(wc -l < "$OUT/$name/MANIFEST.tsv") classes → $OUT/$name"
done
