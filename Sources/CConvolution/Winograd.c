// Winograd F(2×2, 3×3) convolution on AVX-512 (see Winograd.h).
#include "Winograd.h"
#include <immintrin.h>
#include <string.h>

// XI: the 4 × 4 points of the transform; BLOCK: output channels per GEMM step; SLACK: zero floats
// after the padded image, read by the lanes of a tile row's last vector.
enum { XI = 16, LANES = 16, BLOCK = 8, SLACK = 64 };

static int blocks(int outputs) { return (outputs + BLOCK - 1) / BLOCK; }
static size_t tiles(int height, int width) { return (size_t)(height / 2) * (width / 2); }
// Tiles rounded up to whole vectors: the GEMM reads whole vectors.
static size_t tile_vectors(int height, int width) { return (tiles(height, width) + LANES - 1) / LANES * LANES; }
// The distance between rows of transformed data: one vector more than they hold, so that the
// sixteen rows a transform reads or writes at once do not fall in the same cache set (a power
// of two apart, they would).
static size_t tile_stride(int height, int width) { return tile_vectors(height, width) + LANES; }
static size_t padded_plane(int height, int width) { return (size_t)(height + 2) * (width + 2); }

size_t fw_winograd_packed_count(int inputs, int outputs) { return (size_t)XI * blocks(outputs) * inputs * BLOCK; }

// U = G g Gᵀ for one 3×3 kernel g (row-major), G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]].
static void transform_kernel(const float g[9], float u[XI]) {
    float t[4][3];
    for (int j = 0; j < 3; j++) {
        t[0][j] = g[j];
        t[1][j] = 0.5f * (g[j] + g[3 + j] + g[6 + j]);
        t[2][j] = 0.5f * (g[j] - g[3 + j] + g[6 + j]);
        t[3][j] = g[6 + j];
    }
    for (int i = 0; i < 4; i++) {
        u[4 * i] = t[i][0];
        u[4 * i + 1] = 0.5f * (t[i][0] + t[i][1] + t[i][2]);
        u[4 * i + 2] = 0.5f * (t[i][0] - t[i][1] + t[i][2]);
        u[4 * i + 3] = t[i][2];
    }
}

// packed[ξ][block][c][lane] = U(block·8 + lane, c)[ξ] (0 past the last output channel).
void fw_winograd_pack(const float *w, int inputs, int outputs, int adjoint, float *packed) {
    int to = adjoint ? inputs : outputs, from = adjoint ? outputs : inputs;
    memset(packed, 0, fw_winograd_packed_count(from, to) * sizeof(float));
    for (int o = 0; o < to; o++)
        for (int c = 0; c < from; c++) {
            float g[9], u[XI];
            for (int t = 0; t < 9; t++)
                g[t] = adjoint ? w[((size_t)c * inputs + o) * 9 + (8 - t)] : w[((size_t)o * inputs + c) * 9 + t];
            transform_kernel(g, u);
            for (int xi = 0; xi < XI; xi++)
                packed[(((size_t)xi * blocks(to) + o / BLOCK) * from + c) * BLOCK + o % BLOCK] = u[xi];
        }
}

size_t fw_winograd_scratch_count(int inputs, int outputs, int height, int width) {
    return (size_t)inputs * padded_plane(height, width) + SLACK + (size_t)XI * inputs * tile_stride(height, width)
         + (size_t)XI * blocks(outputs) * BLOCK * tile_stride(height, width);
}

// Each padded row (zero border of one) split into its even columns, then its odd ones: the tile
// at column tj reads columns 2tj … 2tj + 3, that is even[tj], odd[tj], even[tj + 1], odd[tj + 1].
// Padded column 2m + 1 is pixel 2m (odd[m]); padded column 2m is pixel 2m − 1 (even[m], m ≥ 1).
__attribute__((target("avx512f")))
static void pad_split(const float *x, int channels, int height, int width, float *p) {
    const int wp = width + 2, half = wp / 2;
    for (int c = 0; c < channels; c++) {
        float *plane = p + (size_t)c * padded_plane(height, width);
        memset(plane, 0, wp * sizeof(float));
        memset(plane + (size_t)(height + 1) * wp, 0, wp * sizeof(float));
        for (int i = 1; i <= height; i++) { plane[(size_t)i * wp] = 0; plane[(size_t)i * wp + wp - 1] = 0; }
    }
    memset(p + (size_t)channels * padded_plane(height, width), 0, SLACK * sizeof(float));
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    for (int c = 0; c < channels; c++)
        for (int i = 0; i < height; i++) {
            const float *row = x + ((size_t)c * height + i) * width;
            float *even = p + (size_t)c * padded_plane(height, width) + (size_t)(i + 1) * wp, *odd = even + half;
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

// Tile rows one vector holds: several when a tile row has fewer than sixteen tiles and divides
// them (4 or 8 tiles: 8 × 8 and 16 × 16 planes), else one (its last vector masked).
static int rows_per_vector(int across) { return across < LANES && LANES % across == 0 ? LANES / across : 1; }

// Sixteen tiles' values from `group` tile rows `step` floats apart, `across` tiles each (four,
// eight, or sixteen contiguous when group is 1).
__attribute__((target("avx512f")))
static inline __m512 load_tiles(const float *p, size_t step, int group) {
    if (group == 1) return _mm512_loadu_ps(p);
    if (group == 2) {
        const __m512d low = _mm512_castps_pd(_mm512_castps256_ps512(_mm256_loadu_ps(p)));
        return _mm512_castpd_ps(_mm512_insertf64x4(low, _mm256_castps_pd(_mm256_loadu_ps(p + step)), 1));
    }
    __m512 v = _mm512_castps128_ps512(_mm_loadu_ps(p));
    v = _mm512_insertf32x4(v, _mm_loadu_ps(p + step), 1);
    v = _mm512_insertf32x4(v, _mm_loadu_ps(p + 2 * step), 2);
    return _mm512_insertf32x4(v, _mm_loadu_ps(p + 3 * step), 3);
}

// V = Bᵀ d B for every tile and channel, Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]];
// v[ξ][c][t], t = tile row · across + tile column, sixteen tiles per vector.
__attribute__((target("avx512f")))
static void transform_input(const float *p, int channels, int height, int width, float *v) {
    const int wp = width + 2, half = wp / 2, across = width / 2, group = rows_per_vector(across);
    const size_t stride = tile_stride(height, width), count = tiles(height, width), step = (size_t)channels * stride;
    for (int c = 0; c < channels; c++) {
        const float *pc = p + (size_t)c * padded_plane(height, width);
        for (int ti = 0; ti < height / 2; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const int lanes = group > 1 ? LANES : (across - tj < LANES ? across - tj : LANES);
                const __mmask16 mask = (__mmask16)((1u << lanes) - 1);
                __m512 t[4][4];
                for (int r = 0; r < 4; r++) {
                    const float *even = pc + (size_t)(2 * ti + r) * wp + tj, *odd = even + half;
                    const __m512 d0 = load_tiles(even, 2 * wp, group), d1 = load_tiles(odd, 2 * wp, group);
                    const __m512 d2 = load_tiles(even + 1, 2 * wp, group), d3 = load_tiles(odd + 1, 2 * wp, group);
                    t[r][0] = _mm512_sub_ps(d0, d2);
                    t[r][1] = _mm512_add_ps(d1, d2);
                    t[r][2] = _mm512_sub_ps(d2, d1);
                    t[r][3] = _mm512_sub_ps(d1, d3);
                }
                float *out = v + (size_t)c * stride + (size_t)ti * across + tj;
                for (int j = 0; j < 4; j++) {
                    _mm512_mask_storeu_ps(out + (size_t)j * step, mask, _mm512_sub_ps(t[0][j], t[2][j]));
                    _mm512_mask_storeu_ps(out + (size_t)(4 + j) * step, mask, _mm512_add_ps(t[1][j], t[2][j]));
                    _mm512_mask_storeu_ps(out + (size_t)(8 + j) * step, mask, _mm512_sub_ps(t[2][j], t[1][j]));
                    _mm512_mask_storeu_ps(out + (size_t)(12 + j) * step, mask, _mm512_sub_ps(t[1][j], t[3][j]));
                }
            }
        // The lanes past the last tile are read by the GEMM: keep them zero (their results are never stored).
        for (int xi = 0; xi < XI; xi++)
            memset(v + ((size_t)xi * channels + c) * stride + count, 0, (tile_vectors(height, width) - count) * sizeof(float));
    }
}

// m[ξ][k][t] = Σ_c U[ξ][k][c] · v[ξ][c][t]: per point ξ a GEMM of eight output channels × VECTORS vectors of tiles per step.
#define GEMM_STEP(VECTORS)                                                                                        \
    do {                                                                                                          \
        __m512 s[VECTORS][BLOCK];                                                                                 \
        for (int q = 0; q < VECTORS; q++)                                                                         \
            for (int o = 0; o < BLOCK; o++) s[q][o] = _mm512_setzero_ps();                                        \
        for (int c = 0; c < inputs; c++) {                                                                        \
            const float *wc = ub + (size_t)c * BLOCK, *vc = vx + (size_t)c * stride + t;                          \
            __m512 xv[VECTORS];                                                                                   \
            for (int q = 0; q < VECTORS; q++) xv[q] = _mm512_loadu_ps(vc + q * LANES);                            \
            for (int o = 0; o < BLOCK; o++) {                                                                     \
                const __m512 weight = _mm512_set1_ps(wc[o]);                                                      \
                for (int q = 0; q < VECTORS; q++) s[q][o] = _mm512_fmadd_ps(weight, xv[q], s[q][o]);              \
            }                                                                                                     \
        }                                                                                                         \
        for (int o = 0; o < BLOCK; o++)                                                                           \
            for (int q = 0; q < VECTORS; q++) _mm512_storeu_ps(mb + (size_t)o * stride + t + q * LANES, s[q][o]); \
    } while (0)

__attribute__((target("avx512f")))
static void multiply(const float *v, int inputs, const float *packed, int outputs, size_t stride, size_t lanes, float *m) {
    const int nb = blocks(outputs);
    for (int xi = 0; xi < XI; xi++) {
        const float *vx = v + (size_t)xi * inputs * stride;
        for (int block = 0; block < nb; block++) {
            const float *ub = packed + ((size_t)xi * nb + block) * inputs * BLOCK;
            float *mb = m + ((size_t)xi * nb + block) * BLOCK * stride;
            size_t t = 0;
            for (; t + 2 * LANES <= lanes; t += 2 * LANES) GEMM_STEP(2);
            if (t < lanes) GEMM_STEP(1);
        }
    }
}

// Output row i of sixteen tiles, their left and right columns interleaved (a0 b0 a1 b1 …), to
// `group` tile rows of `across` tiles (2·across floats each), the first at `row`, the others
// `step` floats apart, as far as `rows` tile rows exist.
__attribute__((target("avx512f")))
static void store_tiles(float *row, size_t step, __m512 a, __m512 b, int across, int group, int rows) {
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512 halves[2] = {_mm512_permutex2var_ps(a, low, b), _mm512_permutex2var_ps(a, high, b)};
    if (group == 1) {
        const int floats = 2 * (across < LANES ? across : LANES);
        _mm512_mask_storeu_ps(row, (__mmask16)((1u << (floats < 16 ? floats : 16)) - 1), halves[0]);
        if (floats > 16) _mm512_mask_storeu_ps(row + 16, (__mmask16)((1u << (floats - 16)) - 1), halves[1]);
        return;
    }
    const int piece = 2 * across, pieces = 16 / piece;   // tile rows per half
    for (int h = 0; h < 2; h++)
        for (int q = 0; q < pieces; q++) {
            const int g = h * pieces + q;
            if (g >= rows) return;
            const __mmask16 mask = (__mmask16)(((1u << piece) - 1) << (q * piece));
            _mm512_mask_storeu_ps(row + g * step - q * piece, mask, halves[h]);   // masked-off lanes touch no memory
        }
}

// Y = Aᵀ m A per tile, Aᵀ = [[1,1,1,0],[0,1,−1,−1]], plus bias, rectified when relu.
__attribute__((target("avx512f")))
static void transform_output(const float *m, int outputs, int height, int width, const float *bias, int relu, float *y) {
    const int across = width / 2, nb = blocks(outputs), group = rows_per_vector(across);
    const size_t stride = tile_stride(height, width), step = (size_t)nb * BLOCK * stride;
    for (int k = 0; k < outputs; k++) {
        const __m512 b = _mm512_set1_ps(bias ? bias[k] : 0);
        float *yk = y + (size_t)k * height * width;
        for (int ti = 0; ti < height / 2; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const float *mk = m + (size_t)k * stride + (size_t)ti * across + tj;
                __m512 s[2][4];
                for (int j = 0; j < 4; j++) {
                    const __m512 m0 = _mm512_loadu_ps(mk + (size_t)j * step), m1 = _mm512_loadu_ps(mk + (size_t)(4 + j) * step);
                    const __m512 m2 = _mm512_loadu_ps(mk + (size_t)(8 + j) * step), m3 = _mm512_loadu_ps(mk + (size_t)(12 + j) * step);
                    s[0][j] = _mm512_add_ps(_mm512_add_ps(m0, m1), m2);
                    s[1][j] = _mm512_sub_ps(_mm512_sub_ps(m1, m2), m3);
                }
                for (int i = 0; i < 2; i++) {
                    __m512 left = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(s[i][0], s[i][1]), s[i][2]), b);
                    __m512 right = _mm512_add_ps(_mm512_sub_ps(_mm512_sub_ps(s[i][1], s[i][2]), s[i][3]), b);
                    if (relu) {
                        left = _mm512_max_ps(left, _mm512_setzero_ps());
                        right = _mm512_max_ps(right, _mm512_setzero_ps());
                    }
                    store_tiles(yk + (size_t)(2 * ti + i) * width + 2 * tj, 2 * (size_t)width, left, right, across - tj, group,
                                height / 2 - ti);
                }
            }
    }
}

void fw_winograd_conv3x3(const float *x, int inputs, int height, int width, const float *packed, int outputs,
                         const float *bias, int relu, float *scratch, float *y) {
    float *p = scratch, *v = p + (size_t)inputs * padded_plane(height, width) + SLACK;
    float *m = v + (size_t)XI * inputs * tile_stride(height, width);
    pad_split(x, inputs, height, width, p);
    transform_input(p, inputs, height, width, v);
    multiply(v, inputs, packed, outputs, tile_stride(height, width), tile_vectors(height, width), m);
    transform_output(m, outputs, height, width, bias, relu, y);
}
