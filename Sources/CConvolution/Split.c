// The padded image split into even and odd columns (see Split.h).
#include "Split.h"
#include <immintrin.h>
#include <string.h>

__attribute__((target("avx512f")))
void fw_pad_split(const float *x, int channels, int height, int width, float *p) {
    const int wp = width + 2, half = wp / 2;
    for (int c = 0; c < channels; c++) {
        float *plane = p + (size_t)c * fw_split_plane(height, width);
        memset(plane, 0, wp * sizeof(float));
        memset(plane + (size_t)(height + 1) * wp, 0, wp * sizeof(float));
        for (int i = 1; i <= height; i++) { plane[(size_t)i * wp] = 0; plane[(size_t)i * wp + wp - 1] = 0; }
    }
    memset(p + (size_t)channels * fw_split_plane(height, width), 0, FW_SPLIT_SLACK * sizeof(float));
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
