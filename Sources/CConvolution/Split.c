// The padded image split into even and odd columns, or into six column phases by tile rows (see Split.h).
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

// fw_pad_split_tiles4: each source row's four phases (columns 4m + r) are window columns r + 1;
// window column 0 is phase 3 one tile to the right (padded column 0 a zero), window column 5 phase 0
// one tile to the left (padded column width + 1 a zero); padded rows 0 and height + 1 are zeros.
__attribute__((target("avx512f")))
void fw_pad_split_tiles4(const float *x, int channels, int height, int width, float *p) {
    const int across = width / 4, rows = height / 4 + 1;
    // Lanes 0–7 of a phase's vector come from the first 32 floats, 8–15 from the next 32.
    __m512i pick[4];
    for (int r = 0; r < 4; r++) {
        int lanes[16];
        for (int i = 0; i < 16; i++) lanes[i] = r + 4 * (i % 8);
        pick[r] = _mm512_loadu_si512(lanes);
    }
    for (int c = 0; c < channels; c++) {
        float *pc = p + (size_t)c * fw_split_tiles4_plane(height, width);
        for (int padded = 0; padded < height + 2; padded++) {
            float *row[6];
            for (int j = 0; j < 6; j++) row[j] = pc + ((size_t)(j * 4 + padded % 4) * rows + padded / 4) * across;
            if (padded == 0 || padded == height + 1) {
                for (int j = 0; j < 6; j++) memset(row[j], 0, across * sizeof(float));
                continue;
            }
            const float *source = x + ((size_t)c * height + padded - 1) * width;
            for (int m = 0; m < across; m += 16) {
                const int n = across - m < 16 ? across - m : 16;   // tiles in this chunk
                __m512 v[4];
                for (int q = 0; q < 4; q++) {
                    const int left = 4 * n - 16 * q, count = left <= 0 ? 0 : left < 16 ? left : 16;
                    v[q] = _mm512_maskz_loadu_ps((__mmask16)((1u << count) - 1), source + 4 * m + 16 * q);
                }
                const __mmask16 stored = (__mmask16)((1u << n) - 1);
                for (int r = 0; r < 4; r++) {
                    const __m512 phase = _mm512_mask_blend_ps(0xFF00, _mm512_permutex2var_ps(v[0], pick[r], v[1]),
                                                              _mm512_permutex2var_ps(v[2], pick[r], v[3]));
                    _mm512_mask_storeu_ps(row[r + 1] + m, stored, phase);
                    // Window column 0 of tile m + i + 1 is phase 3 of tile m + i; window column 5 of tile m + i − 1 is phase 0 of tile m + i.
                    if (r == 3) _mm512_mask_storeu_ps(row[0] + m + 1, m + n == across ? (__mmask16)(stored >> 1) : stored, phase);
                    if (r == 0) _mm512_mask_storeu_ps(row[5] + m - 1, m == 0 ? (__mmask16)(stored & ~1u) : stored, phase);
                }
            }
            row[0][0] = 0;
            row[5][across - 1] = 0;
        }
    }
    memset(p + (size_t)channels * fw_split_tiles4_plane(height, width), 0, FW_SPLIT_SLACK * sizeof(float));
}
