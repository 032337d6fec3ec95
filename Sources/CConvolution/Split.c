// The padded image split into even and odd columns, or four column phases (see Split.h).
#include "Split.h"
#include "AVX2Lanes.h"
#include <immintrin.h>
#include <string.h>

// The border: the first and last padded rows, each row's first and last column, and the slack.
static void zero_border(int channels, int height, int width, float *p) {
    const int wp = width + 2;
    for (int c = 0; c < channels; c++) {
        float *plane = p + (size_t)c * fw_split_plane(height, width);
        memset(plane, 0, wp * sizeof(float));
        memset(plane + (size_t)(height + 1) * wp, 0, wp * sizeof(float));
        for (int i = 1; i <= height; i++) { plane[(size_t)i * wp] = 0; plane[(size_t)i * wp + wp - 1] = 0; }
    }
    memset(p + (size_t)channels * fw_split_plane(height, width), 0, FW_SPLIT_SLACK * sizeof(float));
}

__attribute__((target("avx512f")))
void fw_pad_split(const float *x, int channels, int height, int width, float *p) {
    const int wp = width + 2, half = wp / 2;
    zero_border(channels, height, width, p);
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (int c = 0; c < channels; c++)
        for (int i = 0; i < height; i++) {
            const float *row = x + ((size_t)c * height + i) * width;
            float *even = p + (size_t)c * fw_split_plane(height, width) + (size_t)(i + 1) * wp, *odd = even + half;
            for (int j = 0; j < width; j += 32) {
                const int n = width - j < 32 ? width - j : 32;
                const __m512 a = _mm512_maskz_loadu_ps((__mmask16)((1u << (n < 16 ? n : 16)) - 1), row + j);
                const __m512 b = n > 16 ? _mm512_maskz_loadu_ps((__mmask16)((1u << (n - 16)) - 1), row + j + 16) : _mm512_setzero_ps();
                const __mmask16 m = (__mmask16)((1u << (n / 2)) - 1);
                _mm512_mask_storeu_ps(odd + j / 2, m, _mm512_permutex2var_ps(a, evens, b));
                _mm512_mask_storeu_ps(even + 1 + j / 2, m, _mm512_permutex2var_ps(a, odds, b));
            }
        }
}

__attribute__((target("avx2")))
void fw_pad_split_avx2(const float *x, int channels, int height, int width, float *p) {
    const int wp = width + 2, half = wp / 2;
    zero_border(channels, height, width, p);
    for (int c = 0; c < channels; c++)
        for (int i = 0; i < height; i++) {
            const float *row = x + ((size_t)c * height + i) * width;
            float *even = p + (size_t)c * fw_split_plane(height, width) + (size_t)(i + 1) * wp, *odd = even + half;
            for (int j = 0; j < width; j += 16) {
                const int n = width - j < 16 ? width - j : 16;
                const __m256 a = fw_load_first(row + j, n);
                const __m256 b = n > 8 ? fw_load_first(row + j + 8, n - 8) : _mm256_setzero_ps();
                // shuffle_ps takes lanes {0, 2} or {1, 3} of each half of a, then of b; permute4x64 orders the quarters a, a, b, b.
                const __m256 evens = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0x88)), 0xD8));
                const __m256 odds = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(a, b, 0xDD)), 0xD8));
                fw_store_first(odd + j / 2, n / 2, evens);
                fw_store_first(even + 1 + j / 2, n / 2, odds);
            }
        }
}

// fw_pad_split4's zeros: the first and last padded rows, each row's padded columns 0 and width + 1
// and the two phase slots no column maps to, and the slack.
static void zero_border4(int channels, int height, int width, float *p) {
    const int quarter = width / 4 + 1, row = 4 * quarter;
    for (int c = 0; c < channels; c++) {
        float *plane = p + (size_t)c * fw_split4_plane(height, width);
        memset(plane, 0, row * sizeof(float));
        memset(plane + (size_t)(height + 1) * row, 0, row * sizeof(float));
        for (int i = 1; i <= height; i++) {
            float *r = plane + (size_t)i * row;
            r[0] = 0;                                               // padded column 0
            r[quarter + quarter - 1] = 0;                           // padded column width + 1 (phase 1)
            r[2 * quarter + quarter - 1] = r[3 * quarter + quarter - 1] = 0;
        }
    }
    memset(p + (size_t)channels * fw_split4_plane(height, width), 0, FW_SPLIT_SLACK * sizeof(float));
}

__attribute__((target("avx512f")))
void fw_pad_split4(const float *x, int channels, int height, int width, float *p) {
    const int quarter = width / 4 + 1, row = 4 * quarter;
    zero_border4(channels, height, width, p);
    // Source column 4i + r (r = 0…3) is padded column 4i + r + 1: phase r + 1 at i, or for r = 3
    // phase 0 at i + 1. Lanes 0–7 of a phase's vector come from the first 32 floats, 8–15 from the next 32.
    __m512i pick[4];
    for (int r = 0; r < 4; r++) {
        int lanes[16];
        for (int i = 0; i < 16; i++) lanes[i] = r + 4 * (i % 8);
        pick[r] = _mm512_loadu_si512(lanes);
    }
    for (int c = 0; c < channels; c++)
        for (int i = 0; i < height; i++) {
            const float *source = x + ((size_t)c * height + i) * width;
            float *target = p + (size_t)c * fw_split4_plane(height, width) + (size_t)(i + 1) * row;
            for (int j = 0; j < width; j += 64) {
                const int n = width - j < 64 ? width - j : 64;
                __m512 v[4];
                for (int q = 0; q < 4; q++) {
                    const int left = n - 16 * q, count = left <= 0 ? 0 : left < 16 ? left : 16;
                    v[q] = _mm512_maskz_loadu_ps((__mmask16)((1u << count) - 1), source + j + 16 * q);
                }
                const __mmask16 stored = (__mmask16)((1u << (n / 4)) - 1);
                for (int r = 0; r < 4; r++) {
                    const __m512 phase = _mm512_mask_blend_ps(0xFF00, _mm512_permutex2var_ps(v[0], pick[r], v[1]),
                                                              _mm512_permutex2var_ps(v[2], pick[r], v[3]));
                    float *out = r == 3 ? target + j / 4 + 1 : target + (size_t)(r + 1) * quarter + j / 4;
                    _mm512_mask_storeu_ps(out, stored, phase);
                }
            }
        }
}
