#!/usr/bin/env bash
# make test-slurm: runs a tiny experiment through a real single-node Slurm on this machine.
# Installs slurm-wlm and munge (apt-get), writes slurm.conf for localhost in a scratch folder,
# starts munged, slurmctld and slurmd, submits the experiment with `flywheel run --launcher slurm
# --submit`, checks every trial file and the merged report, then cancels one array task of a
# second submission, resubmits, and checks that only the missing trial reran. It stops the
# daemons it started, by their pids. Where the daemons cannot start, it says so and skips.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
FLYWHEEL="$ROOT/.build/release/flywheel"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo

missing=""
for p in slurm-wlm munge; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
    echo "Installing:$missing"
    $SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q $missing
fi

SCRATCH=$(mktemp -d /tmp/flywheel-slurm.XXXXXX)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do $SUDO kill "$pid" 2>/dev/null || true; done
    sleep 1
    for pid in "${PIDS[@]}"; do $SUDO kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
skip() { echo "SKIPPED make test-slurm: the Slurm daemons could not start on this machine ($1); see $SCRATCH"; exit 0; }
fail() { echo "FAILED make test-slurm: $1"; exit 1; }

NODE=$(hostname -s)
MEMORY=$(free -m | awk '/^Mem:/ {print int($2 * 0.8)}')
mkdir -p "$SCRATCH"/{state,spool,log}
cat > "$SCRATCH/slurm.conf" <<CONF
ClusterName=flywheel-test
SlurmctldHost=$NODE
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
ReturnToService=2
StateSaveLocation=$SCRATCH/state
SlurmdSpoolDir=$SCRATCH/spool
SlurmctldPidFile=$SCRATCH/slurmctld.pid
SlurmdPidFile=$SCRATCH/slurmd.pid
SlurmctldLogFile=$SCRATCH/log/slurmctld.log
SlurmdLogFile=$SCRATCH/log/slurmd.log
NodeName=$NODE CPUs=$(nproc) RealMemory=$MEMORY State=UNKNOWN
PartitionName=flywheel Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
echo "CgroupPlugin=cgroup/v1" > "$SCRATCH/cgroup.conf"
export SLURM_CONF="$SCRATCH/slurm.conf"

if ! pgrep -x munged >/dev/null; then
    [ -f /etc/munge/munge.key ] || $SUDO mungekey --create 2>/dev/null || $SUDO sh -c 'dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null; chmod 400 /etc/munge/munge.key'
    $SUDO mkdir -p /run/munge
    $SUDO munged --force || skip "munged did not start"
    sleep 1
    PIDS+=("$(cat /run/munge/munged.pid 2>/dev/null || pgrep -x munged)")
fi
$SUDO slurmctld -f "$SLURM_CONF" || skip "slurmctld did not start"
$SUDO slurmd -f "$SLURM_CONF" || skip "slurmd did not start"
for _ in $(seq 60); do
    [ -f "$SCRATCH/slurmctld.pid" ] && [ -f "$SCRATCH/slurmd.pid" ] && break
    sleep 0.5
done
PIDS+=("$(cat "$SCRATCH/slurmd.pid" 2>/dev/null)" "$(cat "$SCRATCH/slurmctld.pid" 2>/dev/null)")
idle=""
for _ in $(seq 60); do
    if sinfo -h -o "%t" 2>/dev/null | grep -q idle; then idle=yes; break; fi
    sleep 1
done
[ -n "$idle" ] || skip "the node never became idle: $(sinfo 2>&1 | tail -1)"
echo "Slurm is up: $(sinfo -h -o '%P %D %t %c CPUs')"

cat > "$SCRATCH/tiny.yaml" <<YAML
name: tiny-slurm
seeds: [1, 2]
dataset:
  scenario: solar-cells
  image_size: 16
  per_class: {train: 10, val: 5, test: 10}
  noise: {model: uniform, rate: 0.2}
baseline:
  train: {epochs: 4, batch: 16}
arms:
  model-centric:
    variants: [cnn-wide, {train.lr: 0.05}]
YAML
TRIALS=6

wait_for_jobs() {
    for _ in $(seq 600); do
        [ -z "$(squeue -h 2>/dev/null)" ] && return 0
        sleep 1
    done
    fail "jobs still queued after 10 minutes: $(squeue)"
}
count_trials() { find "$1" -name '*.h5' 2>/dev/null | wc -l; }
# Two arms.csv files hold the same results: every column but the measured compute (cpu_hours and the
# cost_per_seed it prices), which varies from run to run like wall time.
same_results() {
  python3 - "$1" "$2" <<'PY'
import csv, sys
def stable(path):
    rows = list(csv.reader(open(path)))
    keep = [i for i, name in enumerate(rows[0]) if name not in ("cpu_hours", "cost_per_seed")]
    return [[row[i] for i in keep] for row in rows]
sys.exit(0 if stable(sys.argv[1]) == stable(sys.argv[2]) else 1)
PY
}

cd "$SCRATCH"   # jobs run where they were submitted from; keep their side files out of the checkout
# 1. The whole array, then the merge job after it.
RESULTS="$SCRATCH/results"
"$FLYWHEEL" run "$SCRATCH/tiny.yaml" --launcher slurm --submit --results "$RESULTS" --mem 1G --time 00:10:00
wait_for_jobs
[ "$(count_trials "$RESULTS/tiny-slurm/trials")" = "$TRIALS" ] || fail "expected $TRIALS trial files, found $(count_trials "$RESULTS/tiny-slurm/trials")"
[ -f "$RESULTS/tiny-slurm.h5" ] && [ -f "$RESULTS/tiny-slurm/report.md" ] || fail "the merge job wrote no merged file or report: $(cat "$RESULTS/tiny-slurm/slurm/logs/merge.out")"
grep -q "| baseline |" "$RESULTS/tiny-slurm/report.md" || fail "the report has no baseline row"
echo "ok: $TRIALS trials and the merged report from one job array"
# The jobs ran outside any checkout: each trial file records the commit Flywheel was built from.
built=$(git -C "$ROOT" rev-parse HEAD)
for trial in "$RESULTS"/tiny-slurm/trials/*.h5; do
    recorded=$(h5dump -a git_commit "$trial" | sed -n 's/.*(0): "\(.*\)".*/\1/p')
    [ "${recorded%+dirty}" = "$built" ] || fail "$trial records commit '$recorded', expected Flywheel's own $built"
done
echo "ok: every trial file records Flywheel's commit ($built), not the folder's"

# 2. Cancel one array task, resubmit: only the missing trial runs again.
RESULTS2="$SCRATCH/results-cancel"
out=$("$FLYWHEEL" run "$SCRATCH/tiny.yaml" --launcher slurm --submit --results "$RESULTS2" --mem 1G --max-parallel 1)
echo "$out"
array=$(echo "$out" | sed -n 's/.*submitted array job \([0-9]*\).*/\1/p')
scancel "${array}_4"
wait_for_jobs
[ "$(count_trials "$RESULTS2/tiny-slurm/trials")" = "$((TRIALS - 1))" ] || fail "after cancelling task 4 expected $((TRIALS - 1)) trials, found $(count_trials "$RESULTS2/tiny-slurm/trials")"
grep -q "missing: trial 4" "$RESULTS2/tiny-slurm/slurm/logs/merge.out" || fail "merge did not name the missing trial: $(cat "$RESULTS2/tiny-slurm/slurm/logs/merge.out")"
before=$(stat -c '%n %Y' "$RESULTS2"/tiny-slurm/trials/*.h5 | sort)
rm -f "$RESULTS2"/tiny-slurm/slurm/logs/trial-*.out
"$FLYWHEEL" run "$SCRATCH/tiny.yaml" --launcher slurm --submit --results "$RESULTS2" --mem 1G --max-parallel 1
wait_for_jobs
[ "$(count_trials "$RESULTS2/tiny-slurm/trials")" = "$TRIALS" ] || fail "after resubmitting expected $TRIALS trials"
after=$(stat -c '%n %Y' "$RESULTS2"/tiny-slurm/trials/*.h5 | sort)
[ "$(comm -23 <(echo "$before") <(echo "$after"))" = "" ] || fail "a finished trial was rerun"
ran=$(cat "$RESULTS2"/tiny-slurm/slurm/logs/trial-*.out | grep -c "^ran trial" || true)
skipped=$(cat "$RESULTS2"/tiny-slurm/slurm/logs/trial-*.out | grep -c "^skipped" || true)
[ "$ran" = 1 ] && [ "$skipped" = "$((TRIALS - 1))" ] || fail "expected 1 trial run and $((TRIALS - 1)) skipped, got $ran and $skipped"
same_results "$RESULTS/tiny-slurm/arms.csv" "$RESULTS2/tiny-slurm/arms.csv" || fail "the resumed run's results differ from the uninterrupted one"
echo "ok: a cancelled task reran alone on resubmission, and the results match the uninterrupted run"

# 3. The same experiment run locally gives the same trial ids and the same numbers.
"$FLYWHEEL" run "$SCRATCH/tiny.yaml" --results "$SCRATCH/local" --jobs 1 --threads 1 --quiet --notebooks "$SCRATCH/nb" >/dev/null
diff <(ls "$RESULTS/tiny-slurm/trials") <(ls "$SCRATCH/local/tiny-slurm/trials") || fail "local and Slurm trial ids differ"
same_results "$RESULTS/tiny-slurm/arms.csv" "$SCRATCH/local/tiny-slurm/arms.csv" || fail "local and Slurm results differ"
echo "ok: the local run has the same trial ids and the same results"
echo "make test-slurm passed"
