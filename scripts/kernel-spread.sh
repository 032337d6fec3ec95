#!/usr/bin/env bash
# Runs one experiment under two OpenBLAS kernel families and compares the figures: the same machine,
# kernel and thread count give bit-identical trial files, another kernel rounds differently.
#   scripts/kernel-spread.sh [EXPERIMENT] [KERNEL_A] [KERNEL_B]   (default: steel-defects, Haswell, SkylakeX)
# Writes results/kernel-spread/KERNEL/NAME/ for each run and results/kernel-spread/NAME.md.
set -euo pipefail
cd "$(dirname "$0")/.."
experiment=${1:-experiments/protocol-v1/steel-defects.yaml}
kernels=("${2:-Haswell}" "${3:-SkylakeX}")
name=$(sed -n 's/^name: *//p' "$experiment" | head -1)
flags=$(grep -m1 '^flags' /proc/cpuinfo || true)
for kernel in "${kernels[@]}"; do
    case $kernel in
        SkylakeX|Cooperlake) need=avx512f ;;
        Haswell|Zen) need=avx2 ;;
        *) need=sse3 ;;
    esac
    [[ " $flags " == *" $need "* ]] || { echo "error: this CPU lacks $need, which OPENBLAS_CORETYPE=$kernel needs" >&2; exit 2; }
done
out=results/kernel-spread
for kernel in "${kernels[@]}"; do
    echo "== $name under OPENBLAS_CORETYPE=$kernel"
    OPENBLAS_CORETYPE=$kernel .build/release/flywheel run "$experiment" --results "$out/$kernel" --jobs 2 --quiet \
        --notebooks "$out/$kernel"
done
{
    echo "# $name under two OpenBLAS kernels"
    echo
    echo "\`scripts/kernel-spread.sh $experiment ${kernels[*]}\` at commit $(git rev-parse --short HEAD); test accuracy in %."
    echo
    python3 scripts/kernel_spread.py "$out/${kernels[0]}/$name" "$out/${kernels[1]}/$name"
} > "$out/$name.md"
cat "$out/$name.md"
