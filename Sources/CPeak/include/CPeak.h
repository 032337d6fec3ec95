#ifndef FLYWHEEL_CPEAK_H
#define FLYWHEEL_CPEAK_H
/// Vector widths the FMA peak can be measured at.
enum fw_fma_width { FW_FMA_AVX2 = 256, FW_FMA_AVX512 = 512 };

/// Whether this CPU (and the operating system) can run fused multiply-adds of `width` bits.
int fw_fma_supported(enum fw_fma_width width);

/// Runs `iterations` rounds of 12 independent fp32 FMA chains of `width` bits on the calling
/// thread and returns the floating-point operations done (2 per lane per FMA), or 0 when the CPU
/// lacks the instructions. The caller times it; enough chains hide the FMA latency, so the rate is
/// the core's FMA throughput ceiling for that width.
double fw_fma_chains(enum fw_fma_width width, long iterations);
#endif
