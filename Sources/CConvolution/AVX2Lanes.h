// The first n lanes of an AVX2 vector, loaded or stored: masked where n < 8, plain where n is 8
// (masked loads and stores are microcoded and slow on AMD's Zen cores).
#ifndef FLYWHEEL_AVX2_LANES_H
#define FLYWHEEL_AVX2_LANES_H
#include <immintrin.h>

// The first `n` (0…8) lanes on.
__attribute__((target("avx2")))
static inline __m256i fw_first_lanes(int n) { return _mm256_cmpgt_epi32(_mm256_set1_epi32(n), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7)); }

/// p[0…n−1], the other lanes zero; memory past them is not touched.
__attribute__((target("avx2")))
static inline __m256 fw_load_first(const float *p, int n) { return n >= 8 ? _mm256_loadu_ps(p) : _mm256_maskload_ps(p, fw_first_lanes(n)); }

/// Stores v's first `n` lanes to p[0…n−1]; memory past them is not touched.
__attribute__((target("avx2")))
static inline void fw_store_first(float *p, int n, __m256 v) {
    if (n >= 8) _mm256_storeu_ps(p, v);
    else _mm256_maskstore_ps(p, fw_first_lanes(n), v);
}
#endif
