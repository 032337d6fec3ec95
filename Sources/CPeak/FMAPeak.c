#include "CPeak.h"
#if defined(__x86_64__)
#include <immintrin.h>

int fw_fma_supported(enum fw_fma_width width) {
    __builtin_cpu_init();
    if (width == FW_FMA_AVX512) return __builtin_cpu_supports("avx512f");
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// Each function keeps 12 accumulators in registers; the empty asm stops the compiler from
// folding the loop away, and the final sum keeps the results alive.
#define FW_CHAINS(VEC, SET1, FMA, ADD, LANES)                                               \
    VEC a[12];                                                                              \
    for (int i = 0; i < 12; i++) a[i] = SET1(1.0f + (float)i * 1e-7f);                      \
    const VEC b = SET1(0.9999999f), c = SET1(1e-7f);                                        \
    for (long n = 0; n < iterations; n++) {                                                 \
        for (int i = 0; i < 12; i++) a[i] = FMA(a[i], b, c);                                \
        __asm__ volatile("" : "+v"(a[0]), "+v"(a[1]), "+v"(a[2]), "+v"(a[3]), "+v"(a[4]),  \
                         "+v"(a[5]), "+v"(a[6]), "+v"(a[7]), "+v"(a[8]), "+v"(a[9]),         \
                         "+v"(a[10]), "+v"(a[11]));                                          \
    }                                                                                       \
    VEC sum = a[0];                                                                         \
    for (int i = 1; i < 12; i++) sum = ADD(sum, a[i]);                                      \
    volatile float sink = ((float *)&sum)[0];                                               \
    (void)sink;                                                                             \
    return 2.0 * LANES * 12 * (double)iterations;

__attribute__((target("avx512f"))) static double chains512(long iterations) {
    FW_CHAINS(__m512, _mm512_set1_ps, _mm512_fmadd_ps, _mm512_add_ps, 16)
}

__attribute__((target("avx2,fma"))) static double chains256(long iterations) {
    FW_CHAINS(__m256, _mm256_set1_ps, _mm256_fmadd_ps, _mm256_add_ps, 8)
}

double fw_fma_chains(enum fw_fma_width width, long iterations) {
    if (!fw_fma_supported(width)) return 0;
    return width == FW_FMA_AVX512 ? chains512(iterations) : chains256(iterations);
}
#else
int fw_fma_supported(enum fw_fma_width width) { (void)width; return 0; }
double fw_fma_chains(enum fw_fma_width width, long iterations) { (void)width; (void)iterations; return 0; }
#endif
