// A batch norm's inference on sixteen lanes, for the AVX-512 Winograd output transforms of both tile
// sizes (WinogradAVX512.c, Winograd4AVX512.c).
#ifndef FLYWHEEL_NORMALIZE_AVX512_H
#define FLYWHEEL_NORMALIZE_AVX512_H
#include <immintrin.h>

/// scale · ((x − mean) · inverse std) + shift, a = {mean, inverse std, scale, shift}: a batch norm's
/// inference in the order BatchNorm.c's plane_apply computes it (no fused multiply-add), so the
/// result is the same to the bit.
__attribute__((target("avx512f")))
static inline __m512 fw_normalize16(__m512 x, const float *a) {
    const __m512 centred = _mm512_mul_ps(_mm512_sub_ps(x, _mm512_set1_ps(a[0])), _mm512_set1_ps(a[1]));
    return _mm512_add_ps(_mm512_mul_ps(_mm512_set1_ps(a[2]), centred), _mm512_set1_ps(a[3]));
}
#endif
