// Winograd F(4×4, 3×3)'s transforms on AVX-512 (see Winograd.h and WinogradLayout.h): 6 × 6
// points per 4 × 4 output tile (Lavin and Gray 2016, interpolation points 0, ±1, ±2, ∞), sixteen
// tiles a vector, the input read from six column phases laid out by tile rows
// (fw_pad_split_tiles4). The GEMMs are the F(2×2, 3×3) ones (WinogradAVX512.c) over 36 points.
// Planes whose tile rows fill whole vectors only: fw_winograd4_covers.
#include "WinogradLayout.h"
#include "Split.h"
#include "NormalizeAVX512.h"
#include <immintrin.h>

enum { LANES = 16, SIDE = 6 };

static int rows_per_vector(int across) { return fw_winograd_rows_per_vector16(across); }

// r = Bᵀ d for six values, Bᵀ = [[4,0,−5,0,1,0],[0,−4,−4,1,1,0],[0,4,−4,−1,1,0],[0,−2,−1,2,1,0],
// [0,2,−1,−2,1,0],[0,4,0,−5,0,1]].
__attribute__((target("avx512f")))
static inline void input_1d(const __m512 d[SIDE], __m512 r[SIDE]) {
    const __m512 two = _mm512_set1_ps(2), four = _mm512_set1_ps(4), five = _mm512_set1_ps(5);
    const __m512 a = _mm512_fnmadd_ps(four, d[2], d[4]), b = _mm512_fnmadd_ps(four, d[1], d[3]);   // d4 − 4d2, d3 − 4d1
    const __m512 e = _mm512_sub_ps(d[4], d[2]), f = _mm512_mul_ps(two, _mm512_sub_ps(d[3], d[1]));
    r[0] = _mm512_fmadd_ps(four, d[0], _mm512_fnmadd_ps(five, d[2], d[4]));
    r[1] = _mm512_add_ps(a, b);
    r[2] = _mm512_sub_ps(a, b);
    r[3] = _mm512_add_ps(e, f);
    r[4] = _mm512_sub_ps(e, f);
    r[5] = _mm512_fmadd_ps(four, d[1], _mm512_fnmadd_ps(five, d[3], d[5]));
}

// V = Bᵀ d B for every tile and channel; v[(ξ · channels + c) · pitch + t], ξ = 6 · row point +
// column point. Sixteen consecutive tiles are one load per window value (fw_pad_split_tiles4).
__attribute__((target("avx512f")))
static void transform_input(const float *p, int channels, int height, int width, float *v, size_t pitch) {
    const int across = width / 4, rows = height / 4 + 1;
    const size_t step = (size_t)channels * pitch, tiles = fw_winograd_tiles(4, height, width);
    for (int c = 0; c < channels; c++) {
        const float *pc = p + (size_t)c * fw_split_tiles4_plane(height, width);
        for (size_t t = 0; t < tiles; t += LANES) {
            const size_t ti = t / across, tj = t % across;   // the first tile; its vector may run on into the next tile rows
            const int lanes = tiles - t < LANES ? (int)(tiles - t) : LANES;
            const __mmask16 mask = (__mmask16)((1u << lanes) - 1);
            __m512 w[SIDE][SIDE];
            for (int r = 0; r < SIDE; r++) {
                __m512 d[SIDE];
                for (int j = 0; j < SIDE; j++)
                    d[j] = _mm512_loadu_ps(pc + ((size_t)(j * 4 + r % 4) * rows + ti + r / 4) * across + tj);
                input_1d(d, w[r]);
            }
            float *out = v + (size_t)c * pitch + t;
            for (int j = 0; j < SIDE; j++) {
                __m512 column[SIDE], u[SIDE];
                for (int r = 0; r < SIDE; r++) column[r] = w[r][j];
                input_1d(column, u);
                for (int i = 0; i < SIDE; i++) _mm512_mask_storeu_ps(out + (size_t)(SIDE * i + j) * step, mask, u[i]);
            }
        }
    }
}

// y = Aᵀ m for six values, Aᵀ = [[1,1,1,1,1,0],[0,1,−1,2,−2,0],[0,1,1,4,4,0],[0,1,−1,8,−8,1]].
__attribute__((target("avx512f")))
static inline void output_1d(const __m512 m[SIDE], __m512 y[4]) {
    const __m512 a = _mm512_add_ps(m[1], m[2]), b = _mm512_sub_ps(m[1], m[2]);
    const __m512 c = _mm512_add_ps(m[3], m[4]), d = _mm512_sub_ps(m[3], m[4]);
    y[0] = _mm512_add_ps(_mm512_add_ps(m[0], a), c);
    y[1] = _mm512_fmadd_ps(_mm512_set1_ps(2), d, b);
    y[2] = _mm512_fmadd_ps(_mm512_set1_ps(4), c, a);
    y[3] = _mm512_add_ps(_mm512_fmadd_ps(_mm512_set1_ps(8), d, b), m[5]);
}

// Where the four groups of four tiles of a vector lie, relative to its first tile: `group` tile
// rows of `across` tiles, each tile row 4 · width floats below the last (the same for every vector).
static void quad_offsets(int across, int group, int width, size_t offsets[4]) {
    for (int q = 0; q < 4; q++) offsets[q] = group == 1 ? (size_t)16 * q : (size_t)(4 * q / across) * 4 * width + (size_t)4 * (4 * q % across);
}

// Which floats of each group of four tiles lie on the plane, `tiles` tiles from the vector's first
// to the end of its tile row (a tile row's last vector may be partial).
static void quad_masks(int tiles, int group, __mmask16 masks[4]) {
    for (int q = 0; q < 4; q++) {
        const int left = group > 1 ? 16 : 4 * tiles - 16 * q, floats = left <= 0 ? 0 : left < 16 ? left : 16;
        masks[q] = (__mmask16)((1u << floats) - 1);
    }
}

// Four columns of sixteen tiles, column c's values in y[c], interleaved into four vectors of four
// tiles each (tile t's four values together): w[q][4k + c] = y[c][4q + k].
__attribute__((target("avx512f")))
static inline void interleave4(const __m512 y[4], __m512 w[4]) {
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512i first = _mm512_setr_epi64(0, 8, 1, 9, 2, 10, 3, 11), second = _mm512_setr_epi64(4, 12, 5, 13, 6, 14, 7, 15);
    const __m512d pairs[4] = {_mm512_castps_pd(_mm512_permutex2var_ps(y[0], low, y[1])), _mm512_castps_pd(_mm512_permutex2var_ps(y[2], low, y[3])),
                              _mm512_castps_pd(_mm512_permutex2var_ps(y[0], high, y[1])), _mm512_castps_pd(_mm512_permutex2var_ps(y[2], high, y[3]))};
    w[0] = _mm512_castpd_ps(_mm512_permutex2var_pd(pairs[0], first, pairs[1]));
    w[1] = _mm512_castpd_ps(_mm512_permutex2var_pd(pairs[0], second, pairs[1]));
    w[2] = _mm512_castpd_ps(_mm512_permutex2var_pd(pairs[2], first, pairs[3]));
    w[3] = _mm512_castpd_ps(_mm512_permutex2var_pd(pairs[2], second, pairs[3]));
}

// The inverse of interleave4: y[c][4q + k] = w[q][4k + c].
__attribute__((target("avx512f")))
static inline void deinterleave4(const __m512 w[4], __m512 y[4]) {
    const __m512i first = _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), second = _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15);
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const __m512d w0 = _mm512_castps_pd(w[0]), w1 = _mm512_castps_pd(w[1]), w2 = _mm512_castps_pd(w[2]), w3 = _mm512_castps_pd(w[3]);
    // (c0, c1) pairs of tiles 0–7 and 8–15, then (c2, c3) pairs.
    const __m512 p01_low = _mm512_castpd_ps(_mm512_permutex2var_pd(w0, first, w1)), p23_low = _mm512_castpd_ps(_mm512_permutex2var_pd(w0, second, w1));
    const __m512 p01_high = _mm512_castpd_ps(_mm512_permutex2var_pd(w2, first, w3)), p23_high = _mm512_castpd_ps(_mm512_permutex2var_pd(w2, second, w3));
    y[0] = _mm512_permutex2var_ps(p01_low, evens, p01_high);
    y[1] = _mm512_permutex2var_ps(p01_low, odds, p01_high);
    y[2] = _mm512_permutex2var_ps(p23_low, evens, p23_high);
    y[3] = _mm512_permutex2var_ps(p23_low, odds, p23_high);
}

// Y = Aᵀ m A per tile, plus bias, normalised when `affine`, rectified when relu.
__attribute__((target("avx512f")))
static void transform_output(const float *m, int outputs, int height, int width, const float *bias, const float *affine, int relu, float *y) {
    const int across = width / 4, nb = fw_winograd_blocks(outputs), group = rows_per_vector(across);
    const size_t stride = fw_winograd_tile_stride(4, height, width), step = (size_t)nb * BLOCK * stride;
    size_t offsets[4];
    quad_offsets(across, group, width, offsets);
    for (int k = 0; k < outputs; k++) {
        const __m512 b = _mm512_set1_ps(bias ? bias[k] : 0);
        const float *a = affine ? affine + 4 * (size_t)k : NULL;
        float *yk = y + (size_t)k * height * width;
        for (int ti = 0; ti < height / 4; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const float *mk = m + (size_t)k * stride + (size_t)ti * across + tj;
                __mmask16 masks[4];
                quad_masks(across - tj, group, masks);
                __m512 s[4][SIDE];
                for (int j = 0; j < SIDE; j++) {
                    __m512 column[SIDE], out[4];
                    for (int i = 0; i < SIDE; i++) column[i] = _mm512_loadu_ps(mk + (size_t)(SIDE * i + j) * step);
                    output_1d(column, out);
                    for (int i = 0; i < 4; i++) s[i][j] = out[i];
                }
                for (int i = 0; i < 4; i++) {
                    __m512 values[4], w[4];
                    output_1d(s[i], values);
                    for (int c = 0; c < 4; c++) {
                        values[c] = _mm512_add_ps(values[c], b);
                        if (a) values[c] = fw_normalize16(values[c], a);
                        if (relu) values[c] = _mm512_max_ps(values[c], _mm512_setzero_ps());
                    }
                    interleave4(values, w);
                    float *first = yk + (size_t)(4 * ti + i) * width + 4 * (size_t)tj;
                    for (int q = 0; q < 4; q++) _mm512_mask_storeu_ps(first + offsets[q], masks[q], w[q]);   // masked-off lanes touch no memory
                }
            }
    }
}

// dm = A dy for four values (A = (Aᵀ)ᵀ, six rows).
__attribute__((target("avx512f")))
static inline void gradient_1d(const __m512 g[4], __m512 r[SIDE]) {
    const __m512 a = _mm512_add_ps(g[0], g[2]), b = _mm512_add_ps(g[1], g[3]);
    const __m512 c = _mm512_fmadd_ps(_mm512_set1_ps(4), g[2], g[0]), d = _mm512_fmadd_ps(_mm512_set1_ps(4), g[3], g[1]);
    r[0] = g[0];
    r[1] = _mm512_add_ps(a, b);
    r[2] = _mm512_sub_ps(a, b);
    r[3] = _mm512_fmadd_ps(_mm512_set1_ps(2), d, c);
    r[4] = _mm512_fnmadd_ps(_mm512_set1_ps(2), d, c);
    r[5] = g[3];
}

// A dY Aᵀ for every tile and output channel, laid out as transform_input lays out V.
__attribute__((target("avx512f")))
static void transform_gradient(const float *g, int outputs, int height, int width, float *gt, size_t pitch) {
    const int across = width / 4, group = rows_per_vector(across);
    const size_t step = (size_t)outputs * pitch;
    size_t offsets[4];
    quad_offsets(across, group, width, offsets);
    for (int k = 0; k < outputs; k++) {
        const float *gk = g + (size_t)k * height * width;
        for (int ti = 0; ti < height / 4; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const int lanes = group > 1 ? LANES : (across - tj < LANES ? across - tj : LANES);
                const __mmask16 mask = (__mmask16)((1u << lanes) - 1);
                __m512 h[4][SIDE];
                __mmask16 masks[4];
                quad_masks(across - tj, group, masks);
                for (int a = 0; a < 4; a++) {
                    const float *first = gk + (size_t)(4 * ti + a) * width + 4 * (size_t)tj;
                    __m512 w[4], columns[4];
                    for (int q = 0; q < 4; q++) w[q] = _mm512_maskz_loadu_ps(masks[q], first + offsets[q]);
                    deinterleave4(w, columns);
                    gradient_1d(columns, h[a]);
                }
                float *out = gt + (size_t)k * pitch + (size_t)ti * across + tj;
                for (int j = 0; j < SIDE; j++) {
                    __m512 column[4], r[SIDE];
                    for (int a = 0; a < 4; a++) column[a] = h[a][j];
                    gradient_1d(column, r);
                    for (int i = 0; i < SIDE; i++) _mm512_mask_storeu_ps(out + (size_t)(SIDE * i + j) * step, mask, r[i]);
                }
            }
    }
}

const WinogradSteps fw_winograd4_avx512 = {4, 36, fw_split_tiles4_plane, fw_pad_split_tiles4, transform_input, fw_winograd_multiply_avx512,
                                           transform_output, transform_gradient, fw_winograd_products_avx512};
