// 2 × 2, stride-2 max pooling with the arg-max kept, on AVX-512, AVX2 or one window at a time
// (see the header).
#include "MaxPool.h"
#include <immintrin.h>
#include <string.h>

// Window j of output row i: x[top + 2j], x[top + 2j + 1], x[bottom + 2j], x[bottom + 2j + 1],
// compared in that order with > (the first of equals wins, a NaN never replaces the best).
static void pool_windows(const float *x, int top, int width, int from, int to, float *y, int *idx) {
    const int bottom = top + width;
    for (int j = from; j < to; j++) {
        int best = top + 2 * j;
        float value = x[best];
        if (x[top + 2 * j + 1] > value) { best = top + 2 * j + 1; value = x[best]; }
        if (x[bottom + 2 * j] > value) { best = bottom + 2 * j; value = x[best]; }
        if (x[bottom + 2 * j + 1] > value) { best = bottom + 2 * j + 1; value = x[best]; }
        y[j] = value;
        idx[j] = best;
    }
}

// Windows j, j + 1, … sixteen a step: the even and odd columns of 32 pixels of the two rows,
// compared lane by lane; returns the first window left.
__attribute__((target("avx512f")))
static int pool_row_avx512(const float *x, int top, int width, int j, int outputs, float *y, int *idx) {
    const __m512i even = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odd = _mm512_add_epi32(even, _mm512_set1_epi32(1));
    const int bottom = top + width;
    for (; j + 16 <= outputs; j += 16) {
        const __m512 t0 = _mm512_loadu_ps(x + top + 2 * j), t1 = _mm512_loadu_ps(x + top + 2 * j + 16);
        const __m512 b0 = _mm512_loadu_ps(x + bottom + 2 * j), b1 = _mm512_loadu_ps(x + bottom + 2 * j + 16);
        const __m512i base = _mm512_add_epi32(even, _mm512_set1_epi32(top + 2 * j));
        __m512 best = _mm512_permutex2var_ps(t0, even, t1);
        __m512i index = base;
        const __m512 candidates[3] = {_mm512_permutex2var_ps(t0, odd, t1), _mm512_permutex2var_ps(b0, even, b1), _mm512_permutex2var_ps(b0, odd, b1)};
        const int offsets[3] = {1, width, width + 1};
        for (int k = 0; k < 3; k++) {
            const __mmask16 wins = _mm512_cmp_ps_mask(candidates[k], best, _CMP_GT_OQ);
            best = _mm512_mask_mov_ps(best, wins, candidates[k]);
            index = _mm512_mask_add_epi32(index, wins, base, _mm512_set1_epi32(offsets[k]));
        }
        _mm512_storeu_ps(y + j, best);
        _mm512_storeu_si512(idx + j, index);
    }
    return j;
}

// The same eight windows a step, on AVX2.
__attribute__((target("avx2")))
static int pool_row_avx2(const float *x, int top, int width, int j, int outputs, float *y, int *idx) {
    const __m256i lanes = _mm256_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14);
    const int bottom = top + width;
    for (; j + 8 <= outputs; j += 8) {
        const __m256 t0 = _mm256_loadu_ps(x + top + 2 * j), t1 = _mm256_loadu_ps(x + top + 2 * j + 8);
        const __m256 b0 = _mm256_loadu_ps(x + bottom + 2 * j), b1 = _mm256_loadu_ps(x + bottom + 2 * j + 8);
        // shuffle_ps picks within 128-bit lanes; the 64-bit permute puts the four quarters in order.
        #define EVEN(a, b) _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8))
        #define ODD(a, b) _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8))
        const __m256i base = _mm256_add_epi32(lanes, _mm256_set1_epi32(top + 2 * j));
        __m256 best = EVEN(t0, t1);
        __m256i index = base;
        const __m256 candidates[3] = {ODD(t0, t1), EVEN(b0, b1), ODD(b0, b1)};
        #undef EVEN
        #undef ODD
        const int offsets[3] = {1, width, width + 1};
        for (int k = 0; k < 3; k++) {
            const __m256 wins = _mm256_cmp_ps(candidates[k], best, _CMP_GT_OQ);
            best = _mm256_blendv_ps(best, candidates[k], wins);
            index = _mm256_blendv_epi8(index, _mm256_add_epi32(base, _mm256_set1_epi32(offsets[k])), _mm256_castps_si256(wins));
        }
        _mm256_storeu_ps(y + j, best);
        _mm256_storeu_si256((__m256i *)(idx + j), index);
    }
    return j;
}

void fw_max_pool2x2(int isa, const float *x, int height, int width, float *y, int *idx) {
    const int rows = height / 2, outputs = width / 2;
    for (int i = 0; i < rows; i++) {
        const int top = 2 * i * width;
        float *yr = y + (size_t)i * outputs;
        int *ir = idx + (size_t)i * outputs;
        int done = isa >= 2 ? pool_row_avx512(x, top, width, 0, outputs, yr, ir) : 0;
        if (isa >= 1) done = pool_row_avx2(x, top, width, done, outputs, yr, ir);
        pool_windows(x, top, width, done, outputs, yr, ir);
    }
}

// Windows j … j + n − 1 (n ≤ 16) of one pooled row, unpooled into columns 2j … 2j + 2n − 1 of the
// full-resolution row whose first pixel is `first` in the plane: a window's gradient goes to the
// column of its arg-max when the arg-max is in this row, zeros elsewhere. Adds the windows'
// gradients that passed the ReLU to `passed`, when given.
__attribute__((target("avx512f")))
static void unpool_windows_avx512(const float *dy, const float *y, const int *idx, int first, int n, float *row, __m512 *passed) {
    const __m512i columns = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_add_epi32(low, _mm512_set1_epi32(8));
    const __mmask16 windows = n >= 16 ? 0xFFFF : (__mmask16)((1u << n) - 1);
    const __mmask16 positive = _mm512_mask_cmp_ps_mask(windows, _mm512_maskz_loadu_ps(windows, y), _mm512_setzero_ps(), _CMP_GT_OQ);
    const __m512 kept = _mm512_maskz_loadu_ps(positive, dy);
    if (passed) *passed = _mm512_add_ps(*passed, kept);
    // Where the arg-max is, relative to the window's left column in this row: 0, 1, or elsewhere.
    const __m512i at = _mm512_sub_epi32(_mm512_maskz_loadu_epi32(windows, idx), _mm512_add_epi32(columns, _mm512_set1_epi32(first)));
    const __m512 left = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(at, _mm512_setzero_si512()), kept);
    const __m512 right = _mm512_maskz_mov_ps(_mm512_cmpeq_epi32_mask(at, _mm512_set1_epi32(1)), kept);
    const int width = 2 * n;
    _mm512_mask_storeu_ps(row, width >= 16 ? 0xFFFF : (__mmask16)((1u << width) - 1), _mm512_permutex2var_ps(left, low, right));
    if (width > 16) _mm512_mask_storeu_ps(row + 16, (__mmask16)((1u << (width - 16)) - 1), _mm512_permutex2var_ps(left, high, right));
}

__attribute__((target("avx512f")))
static float unpool_avx512(const float *dy, const float *y, const int *idx, int height, int width, float *dz) {
    const int rows = height / 2, outputs = width / 2;
    __m512 passed = _mm512_setzero_ps();
    for (int i = 0; i < rows; i++) {
        const size_t cell = (size_t)i * outputs;
        for (int u = 0; u < 2; u++) {
            const int first = (2 * i + u) * width;
            for (int j = 0; j < outputs; j += 16)
                unpool_windows_avx512(dy + cell + j, y + cell + j, idx + cell + j, first + 2 * j, outputs - j < 16 ? outputs - j : 16,
                                      dz + first + 2 * j, u == 0 ? &passed : NULL);   // each window counted once
            for (int j = 2 * outputs; j < width; j++) dz[first + j] = 0;
        }
    }
    for (int i = 2 * rows; i < height; i++) memset(dz + (size_t)i * width, 0, width * sizeof(float));
    return _mm512_reduce_add_ps(passed);
}

// One window at a time: zeros, then each passing window's gradient at its arg-max.
static float unpool_windows(const float *dy, const float *y, const int *idx, int height, int width, float *dz) {
    memset(dz, 0, (size_t)height * width * sizeof(float));
    const int cells = (height / 2) * (width / 2);
    float total = 0;
    for (int j = 0; j < cells; j++)
        if (y[j] > 0) { dz[idx[j]] = dy[j]; total += dy[j]; }
    return total;
}

float fw_unpool2x2_relu(int isa, const float *dy, const float *y, const int *idx, int height, int width, float *dz) {
    return isa >= 2 ? unpool_avx512(dy, y, idx, height, width, dz) : unpool_windows(dy, y, idx, height, width, dz);
}
