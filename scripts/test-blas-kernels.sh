#!/usr/bin/env bash
# The engine's tests (gradient checks and every learning test) once per OpenBLAS kernel family this
# CPU can run, then once per convolution kernel it can run besides its default (which every run
# above used): a test that only passes under the kernel the machine happens to pick would fail on
# another machine. Haswell (AVX2) and the generic Prescott path run on every x86-64 CPU with AVX2;
# SkylakeX needs AVX-512, Zen AVX2. Expects the tests built by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
has() { for f in "$@"; do [[ " $flags " == *" $f "* ]] || return 1; done; }
kernels=(Prescott)
has avx2 fma && kernels+=(Haswell Zen)
has avx512f avx512bw avx512dq avx512vl && kernels+=(SkylakeX)
if [ "${#kernels[@]}" -lt 2 ]; then
    echo "this CPU has no AVX2: only the generic kernel can be tested" >&2
fi
# Runs the engine's tests with the environment assignments given; stops the script on a failure.
engine_tests() {
    echo "== engine tests under $*"
    log=$(mktemp)
    status=0
    env "$@" swift test -c release -Xswiftc -enable-testing --skip-build --filter EngineTests >"$log" 2>&1 || status=$?
    grep -E '✘|Expectation failed|Test run with' "$log" || true
    rm -f "$log"
    [ "$status" = 0 ] || { echo "engine tests failed under $*" >&2; exit 1; }
}
for kernel in "${kernels[@]}"; do engine_tests OPENBLAS_CORETYPE=$kernel; done
# Every convolution kernel this CPU runs but the default (Winograd on its widest instruction set).
convolutions=()
has avx2 fma && convolutions+=(im2col avx2)
has avx512f && convolutions+=(avx512 winograd-avx2)
for convolution in "${convolutions[@]}"; do engine_tests FLYWHEEL_CONVOLUTION=$convolution; done
echo "engine tests passed under OpenBLAS kernels ${kernels[*]} and convolution kernels ${convolutions[*]} besides the default"
