// The 16 × 16 float transpose on AVX-512, shared by the direct and the pooled-backward kernels.
#ifndef FLYWHEEL_TRANSPOSE16_H
#define FLYWHEEL_TRANSPOSE16_H
#include <immintrin.h>

// The 16 × 16 transpose of r (lane j of out[i] = lane i of r[j]): unpacks pair the rows, shuffles
// make columns of four rows in each 128-bit lane, and 128-bit shuffles gather the four lanes.
__attribute__((target("avx512f"))) static inline __attribute__((always_inline))
void transpose16(const __m512 r[16], __m512 out[16]) {
    __m512 a[16], b[16];
    for (int k = 0; k < 8; k++) {
        a[2 * k] = _mm512_unpacklo_ps(r[2 * k], r[2 * k + 1]);
        a[2 * k + 1] = _mm512_unpackhi_ps(r[2 * k], r[2 * k + 1]);
    }
    // b[4q + m], 128-bit lane L: lane 4L + m of r[4q] … r[4q + 3].
    for (int q = 0; q < 4; q++) {
        const __m512 *t = a + 4 * q;
        b[4 * q] = _mm512_shuffle_ps(t[0], t[2], 0x44);
        b[4 * q + 1] = _mm512_shuffle_ps(t[0], t[2], 0xEE);
        b[4 * q + 2] = _mm512_shuffle_ps(t[1], t[3], 0x44);
        b[4 * q + 3] = _mm512_shuffle_ps(t[1], t[3], 0xEE);
    }
    for (int m = 0; m < 4; m++) {
        const __m512 c0 = _mm512_shuffle_f32x4(b[m], b[4 + m], 0x44), c1 = _mm512_shuffle_f32x4(b[m], b[4 + m], 0xEE);
        const __m512 c2 = _mm512_shuffle_f32x4(b[8 + m], b[12 + m], 0x44), c3 = _mm512_shuffle_f32x4(b[8 + m], b[12 + m], 0xEE);
        out[m] = _mm512_shuffle_f32x4(c0, c2, 0x88);
        out[4 + m] = _mm512_shuffle_f32x4(c0, c2, 0xDD);
        out[8 + m] = _mm512_shuffle_f32x4(c1, c3, 0x88);
        out[12 + m] = _mm512_shuffle_f32x4(c1, c3, 0xDD);
    }
}
#endif
