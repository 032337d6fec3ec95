// The backward pass of relu(maxpool2×2(conv3×3(x))) on AVX-512, visiting only the windows whose
// pooled output passed the ReLU (see the header).
#include "PooledBackward.h"
#include "Transpose16.h"
#include <immintrin.h>
#include <string.h>

// LIST_SLACK: floats past each list of passing windows that passing_windows may write.
enum { TAPS = 9, LANES = 16, LIST_SLACK = 16 };

static int rounded_channels(int channels) { return (channels + LANES - 1) / LANES * LANES; }

// One image's padded pixels ((height + 2) × (width + 2)), `rounded_channels(inputs)` floats each.
static size_t padded_pixels_floats(int inputs, int height, int width) {
    return (size_t)(height + 2) * (width + 2) * rounded_channels(inputs);
}

size_t fw_pooled_backward_packed_count(int inputs, int outputs) {
    return (size_t)outputs * TAPS * rounded_channels(inputs);
}

size_t fw_pooled_backward_scratch_count(int inputs, int outputs, int height, int width) {
    const size_t windows = (size_t)(height / 2) * (width / 2);
    return 2 * padded_pixels_floats(inputs, height, width) + 2 * ((size_t)outputs * windows + LIST_SLACK) + outputs;
}

void fw_pooled_backward_pack(const float *w, int inputs, int outputs, float *packed) {
    const int cp = rounded_channels(inputs);
    memset(packed, 0, fw_pooled_backward_packed_count(inputs, outputs) * sizeof(float));
    for (int o = 0; o < outputs; o++)
        for (int c = 0; c < inputs; c++)
            for (int t = 0; t < TAPS; t++) packed[((size_t)o * TAPS + t) * cp + c] = w[((size_t)o * inputs + c) * TAPS + t];
}

void fw_pooled_backward_unpack_add(float *dw_packed, int inputs, int outputs, float *dw) {
    const int cp = rounded_channels(inputs);
    for (int o = 0; o < outputs; o++)
        for (int c = 0; c < inputs; c++)
            for (int t = 0; t < TAPS; t++) dw[((size_t)o * inputs + c) * TAPS + t] += dw_packed[((size_t)o * TAPS + t) * cp + c];
    memset(dw_packed, 0, fw_pooled_backward_packed_count(inputs, outputs) * sizeof(float));
}

// Between planes (channels, height, width) and padded pixels (a border of zero pixels, each
// pixel's channels contiguous, zeros past the last), sixteen pixels of sixteen channels
// transposed at a time: `to_pixels` fills the padded pixels' interior from the planes (the border
// and the channels past the last left as they are), else the planes from the interior.
__attribute__((target("avx512f"))) static inline __attribute__((always_inline))
void transpose_tiles(float *planes, int channels, int height, int width, float *pixels, int to_pixels) {
    const int wp = width + 2, cp = rounded_channels(channels);
    for (int c0 = 0; c0 < channels; c0 += LANES) {
        const int n = channels - c0 < LANES ? channels - c0 : LANES;
        for (int i = 0; i < height; i++)
            for (int j = 0; j < width; j += LANES) {
                const int m = width - j < LANES ? width - j : LANES;
                const __mmask16 row = (__mmask16)((1u << m) - 1);
                float *plane = planes + ((size_t)c0 * height + i) * width + j, *pixel = pixels + ((size_t)(i + 1) * wp + j + 1) * cp + c0;
                const size_t plane_step = (size_t)height * width;
                __m512 r[LANES], t[LANES];
                for (int k = 0; k < LANES; k++)
                    r[k] = to_pixels ? (k < n ? _mm512_maskz_loadu_ps(row, plane + k * plane_step) : _mm512_setzero_ps())
                                     : (k < m ? _mm512_loadu_ps(pixel + (size_t)k * cp) : _mm512_setzero_ps());
                transpose16(r, t);
                if (to_pixels)
                    for (int k = 0; k < m; k++) _mm512_storeu_ps(pixel + (size_t)k * cp, t[k]);
                else
                    for (int c = 0; c < n; c++) _mm512_mask_storeu_ps(plane + c * plane_step, row, t[c]);
            }
    }
}

// x (channels, height, width) as padded pixels.
__attribute__((target("avx512f")))
static void to_padded_pixels(const float *x, int channels, int height, int width, float *xh) {
    memset(xh, 0, padded_pixels_floats(channels, height, width) * sizeof(float));
    transpose_tiles((float *)x, channels, height, width, xh, 1);
}

// The inverse of to_padded_pixels without the border: padded pixels back to (channels, height, width).
__attribute__((target("avx512f")))
static void from_padded_pixels(const float *xh, int channels, int height, int width, float *x) {
    transpose_tiles(x, channels, height, width, (float *)xh, 0);
}

// One output channel's windows that passed the ReLU, in window order: each one's gradient and
// the padded pixel where its arg-max's 3 × 3 neighbourhood starts (arg-max row r, column j of
// the plane: r · (width + 2) + j), sixteen windows a step, each step's passing windows compressed
// to the front of a vector stored whole (up to fifteen floats past the list: LIST_SLACK). Returns
// how many, and adds their gradients to *bias (summed in sixteen lanes, then across).
__attribute__((target("avx512f")))
static int passing_windows(const float *dy, const float *y, const int *idx, int height, int width, float *gradients,
                           int *corners, float *bias) {
    const int rows = height / 2, columns = width / 2;
    int n = 0;
    __m512 total = _mm512_setzero_ps();
    for (int i = 0; i < rows; i++) {
        // A window's arg-max lies in plane row 2i or 2i + 1: padded corner = arg-max + 2 · row.
        const __m512i second_row = _mm512_set1_epi32((2 * i + 1) * width), top = _mm512_set1_epi32(4 * i);
        for (int j = 0; j < columns; j += LANES) {
            const int w = i * columns + j, count = columns - j < LANES ? columns - j : LANES;
            const __mmask16 windows = (__mmask16)((1u << count) - 1);
            const __m512 g = _mm512_maskz_loadu_ps(windows, dy + w);
            const __m512i at = _mm512_maskz_loadu_epi32(windows, idx + w);
            const __mmask16 passed = _mm512_mask_cmp_ps_mask(windows, _mm512_maskz_loadu_ps(windows, y + w), _mm512_setzero_ps(), _CMP_GT_OQ);
            const __m512i corner = _mm512_add_epi32(at, top);
            const __m512i lower = _mm512_mask_add_epi32(corner, _mm512_cmpge_epi32_mask(at, second_row), corner, _mm512_set1_epi32(2));
            _mm512_storeu_ps(gradients + n, _mm512_maskz_compress_ps(passed, g));
            _mm512_storeu_si512(corners + n, _mm512_maskz_compress_epi32(passed, lower));
            total = _mm512_mask_add_ps(total, passed, total, g);
            n += __builtin_popcount(passed);
        }
    }
    *bias += _mm512_reduce_add_ps(total);
    return n;
}

// One output channel's passing windows for `vectors` (1 or 2) vectors of sixteen input channels
// from k0: the weight gradient's nine taps summed in registers in window order and, with
// `input_gradient`, each window's gradient times the weights added to the nine padded pixels of
// dxh it reached. Inlined with constant `vectors` and `input_gradient`, so the sums and weights
// stay in registers.
__attribute__((target("avx512f"))) static inline __attribute__((always_inline))
void scatter_channel(const float *xh, int cp, const int offsets[TAPS], const float *g, const int *at, int n, int k0, int vectors,
                     int input_gradient, const float *weights_at, float *sums_at, float *dxh) {
    __m512 sums[TAPS][2], weights[TAPS][2];
    for (int t = 0; t < TAPS; t++)
        for (int v = 0; v < vectors; v++) {
            sums[t][v] = _mm512_setzero_ps();
            weights[t][v] = _mm512_loadu_ps(weights_at + (size_t)t * cp + v * LANES);
        }
    for (int e = 0; e < n; e++) {
        const __m512 gradient = _mm512_set1_ps(g[e]);
        const float *xe = xh + (size_t)at[e] * cp + k0;
        float *de = dxh + (size_t)at[e] * cp + k0;
        for (int t = 0; t < TAPS; t++)
            for (int v = 0; v < vectors; v++) {
                const size_t pixel = (size_t)offsets[t] * cp + v * LANES;
                sums[t][v] = _mm512_fmadd_ps(gradient, _mm512_loadu_ps(xe + pixel), sums[t][v]);
                if (input_gradient) _mm512_storeu_ps(de + pixel, _mm512_fmadd_ps(gradient, weights[t][v], _mm512_loadu_ps(de + pixel)));
            }
    }
    for (int t = 0; t < TAPS; t++)
        for (int v = 0; v < vectors; v++) {
            float *d = sums_at + (size_t)t * cp + v * LANES;
            _mm512_storeu_ps(d, _mm512_add_ps(_mm512_loadu_ps(d), sums[t][v]));
        }
}

// scatter_channel for every output channel, two vectors of input channels a pass, then one.
__attribute__((target("avx512f")))
static void scatter_windows(const float *xh, int cp, int width, const float *gradients, const int *corners, const int *counts,
                            int outputs, size_t list, const float *packed, float *dw_packed, float *dxh) {
    const int wp = width + 2;
    const int offsets[TAPS] = {0, 1, 2, wp, wp + 1, wp + 2, 2 * wp, 2 * wp + 1, 2 * wp + 2};
    for (int o = 0; o < outputs; o++) {
        const float *g = gradients + (size_t)o * list;
        const int *at = corners + (size_t)o * list, n = counts[o];
        for (int k0 = 0; k0 < cp; k0 += 2 * LANES) {
            const float *weights_at = packed + (size_t)o * TAPS * cp + k0;
            float *sums_at = dw_packed + (size_t)o * TAPS * cp + k0;
            const int two = cp - k0 >= 2 * LANES;
            if (dxh && two) scatter_channel(xh, cp, offsets, g, at, n, k0, 2, 1, weights_at, sums_at, dxh);
            else if (dxh) scatter_channel(xh, cp, offsets, g, at, n, k0, 1, 1, weights_at, sums_at, dxh);
            else if (two) scatter_channel(xh, cp, offsets, g, at, n, k0, 2, 0, weights_at, sums_at, dxh);
            else scatter_channel(xh, cp, offsets, g, at, n, k0, 1, 0, weights_at, sums_at, dxh);
        }
    }
}

__attribute__((target("avx512f")))
void fw_pooled_backward(const float *x, int inputs, int height, int width, const float *dy, const float *y, const int *idx,
                        int outputs, const float *packed, float *scratch, float *dw_packed, float *db, float *dx) {
    const int cp = rounded_channels(inputs);
    const size_t pixels = padded_pixels_floats(inputs, height, width), windows = (size_t)(height / 2) * (width / 2);
    float *xh = scratch, *dxh = scratch + pixels, *gradients = dxh + pixels;
    int *corners = (int *)(gradients + outputs * windows + LIST_SLACK), *counts = corners + outputs * windows + LIST_SLACK;
    for (int o = 0; o < outputs; o++)
        counts[o] = passing_windows(dy + o * windows, y + o * windows, idx + o * windows, height, width,
                                    gradients + o * windows, corners + o * windows, db + o);
    to_padded_pixels(x, inputs, height, width, xh);
    if (dx) memset(dxh, 0, pixels * sizeof(float));
    scatter_windows(xh, cp, width, gradients, corners, counts, outputs, windows, packed, dw_packed, dx ? dxh : NULL);
    if (dx) from_padded_pixels(dxh, inputs, height, width, dx);
}
