// Winograd F(2×2, 3×3)'s steps on AVX-512 (see Winograd.h and WinogradLayout.h): sixteen lanes,
// tile rows packed several to a vector on small planes, masked stores at the ends of rows.
#include "WinogradLayout.h"
#include "Split.h"
#include "NormalizeAVX512.h"
#include <immintrin.h>

enum { LANES = 16 };

static size_t tile_stride(int height, int width) { return fw_winograd_tile_stride(2, height, width); }
static int blocks(int outputs) { return fw_winograd_blocks(outputs); }

// Tile rows one vector holds: several when a tile row has fewer than sixteen tiles and divides
// them (4 or 8 tiles: 8 × 8 and 16 × 16 planes), else one (its last vector masked).
static int rows_per_vector(int across) { return fw_winograd_rows_per_vector16(across); }

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
// v[(ξ · channels + c) · pitch + t], t = tile row · across + tile column, sixteen tiles per
// vector.
__attribute__((target("avx512f")))
static void transform_input(const float *p, int channels, int height, int width, float *v, size_t pitch) {
    const int wp = width + 2, half = wp / 2, across = width / 2, group = rows_per_vector(across);
    const size_t stride = pitch, step = (size_t)channels * stride;
    for (int c = 0; c < channels; c++) {
        const float *pc = p + (size_t)c * fw_split_plane(height, width);
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
            for (int q = 0; q < VECTORS; q++) _mm512_storeu_ps(mb + (size_t)o * m_stride + t + q * LANES, s[q][o]); \
    } while (0)

__attribute__((target("avx512f")))
void fw_winograd_multiply_avx512(int points, const float *v, size_t stride, int inputs, const float *packed, int outputs, size_t lanes,
                                 float *m, size_t m_stride) {
    const int nb = blocks(outputs);
    for (int xi = 0; xi < points; xi++) {
        const float *vx = v + (size_t)xi * inputs * stride;
        for (int block = 0; block < nb; block++) {
            const float *ub = packed + ((size_t)xi * nb + block) * inputs * BLOCK;
            float *mb = m + ((size_t)xi * nb + block) * BLOCK * m_stride;
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

// Y = Aᵀ m A per tile, Aᵀ = [[1,1,1,0],[0,1,−1,−1]], plus bias, normalised when `affine` (as
// BatchNorm.c's plane_apply does, operation for operation), rectified when relu.
__attribute__((target("avx512f")))
static void transform_output(const float *m, int outputs, int height, int width, const float *bias, const float *affine, int relu, float *y) {
    const int across = width / 2, nb = blocks(outputs), group = rows_per_vector(across);
    const size_t stride = tile_stride(height, width), step = (size_t)nb * BLOCK * stride;
    for (int k = 0; k < outputs; k++) {
        const __m512 b = _mm512_set1_ps(bias ? bias[k] : 0);
        const float *a = affine ? affine + 4 * (size_t)k : NULL;
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
                    if (a) {
                        left = fw_normalize16(left, a);
                        right = fw_normalize16(right, a);
                    }
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

// Sixteen tiles' output gradients (2 × 2 each) from rows `row` and `row + width`: the left
// column's values in *left, the right column's in *right; tile rows past `rows` read as zero.
__attribute__((target("avx512f")))
static void load_gradient_tiles(const float *row, int width, int across, int group, int rows, __m512 left[2], __m512 right[2]) {
    const __m512i evens = _mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30);
    const __m512i odds = _mm512_setr_epi32(1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31);
    const size_t step = 2 * (size_t)width;   // one tile row
    for (int a = 0; a < 2; a++) {
        const float *r = row + (size_t)a * width;
        __m512 low, high;
        if (group == 1) {
            const int floats = 2 * (across < LANES ? across : LANES);
            low = _mm512_maskz_loadu_ps((__mmask16)((1u << (floats < 16 ? floats : 16)) - 1), r);
            high = floats > 16 ? _mm512_maskz_loadu_ps((__mmask16)((1u << (floats - 16)) - 1), r + 16) : _mm512_setzero_ps();
        } else {
            // group tile rows of 2·across floats each: 16 / (2·across) per vector.
            const int piece = 2 * across, pieces = 16 / piece;
            __m512 halves[2];
            for (int h = 0; h < 2; h++) {
                halves[h] = _mm512_setzero_ps();
                for (int q = 0; q < pieces; q++) {
                    const int g = h * pieces + q;
                    if (g >= rows) break;
                    const __mmask16 mask = (__mmask16)(((1u << piece) - 1) << (q * piece));
                    halves[h] = _mm512_mask_loadu_ps(halves[h], mask, r + g * step - q * piece);   // masked-off lanes touch no memory
                }
            }
            low = halves[0]; high = halves[1];
        }
        left[a] = _mm512_permutex2var_ps(low, evens, high);
        right[a] = _mm512_permutex2var_ps(low, odds, high);
    }
}

// A dY Aᵀ for every tile and output channel (A = [[1,0],[1,1],[1,−1],[0,−1]]), laid out as
// transform_input lays out V.
__attribute__((target("avx512f")))
static void transform_gradient(const float *g, int outputs, int height, int width, float *gt, size_t pitch) {
    const int across = width / 2, group = rows_per_vector(across);
    const size_t step = (size_t)outputs * pitch;
    for (int k = 0; k < outputs; k++) {
        const float *gk = g + (size_t)k * height * width;
        for (int ti = 0; ti < height / 2; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const int lanes = group > 1 ? LANES : (across - tj < LANES ? across - tj : LANES);
                const __mmask16 mask = (__mmask16)((1u << lanes) - 1);
                __m512 left[2], right[2], h[2][4];
                load_gradient_tiles(gk + (size_t)(2 * ti) * width + 2 * tj, width, across - tj, group, height / 2 - ti, left, right);
                for (int a = 0; a < 2; a++) {
                    h[a][0] = left[a];
                    h[a][1] = _mm512_add_ps(left[a], right[a]);
                    h[a][2] = _mm512_sub_ps(left[a], right[a]);
                    h[a][3] = _mm512_sub_ps(_mm512_setzero_ps(), right[a]);
                }
                float *out = gt + (size_t)k * pitch + (size_t)ti * across + tj;
                for (int j = 0; j < 4; j++) {
                    _mm512_mask_storeu_ps(out + (size_t)j * step, mask, h[0][j]);
                    _mm512_mask_storeu_ps(out + (size_t)(4 + j) * step, mask, _mm512_add_ps(h[0][j], h[1][j]));
                    _mm512_mask_storeu_ps(out + (size_t)(8 + j) * step, mask, _mm512_sub_ps(h[0][j], h[1][j]));
                    _mm512_mask_storeu_ps(out + (size_t)(12 + j) * step, mask, _mm512_sub_ps(_mm512_setzero_ps(), h[1][j]));
                }
            }
    }
}

// The sixteen sums of a[0…15] across lanes, in one vector: lane 4·(i % 4) + i / 4 holds Σ a[i].
__attribute__((target("avx512f")))
static __m512 sum_lanes16(const __m512 a[16]) {
    __m512 s[8], u[4], w[2];
    for (int i = 0; i < 8; i++)
        s[i] = _mm512_add_ps(_mm512_shuffle_f32x4(a[2 * i], a[2 * i + 1], 0x44), _mm512_shuffle_f32x4(a[2 * i], a[2 * i + 1], 0xEE));
    for (int j = 0; j < 4; j++)
        u[j] = _mm512_add_ps(_mm512_shuffle_f32x4(s[2 * j], s[2 * j + 1], 0x88), _mm512_shuffle_f32x4(s[2 * j], s[2 * j + 1], 0xDD));
    for (int j = 0; j < 2; j++)
        w[j] = _mm512_add_ps(_mm512_shuffle_ps(u[2 * j], u[2 * j + 1], _MM_SHUFFLE(1, 0, 1, 0)),
                             _mm512_shuffle_ps(u[2 * j], u[2 * j + 1], _MM_SHUFFLE(3, 2, 3, 2)));
    return _mm512_add_ps(_mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(2, 0, 2, 0)), _mm512_shuffle_ps(w[0], w[1], _MM_SHUFFLE(3, 1, 3, 1)));
}

// Lanes of each row one pass over the channel blocks reads (4 KB a row): the rows of a chunk stay
// in cache while every block uses them.
enum { CHUNK = 1024 };

// dU[ξ][k][c] = Σ_t gt[ξ][k][t] · v[ξ][c][t] over `length` lanes, four output × four input
// channels per step (sixteen accumulators, kept in `accumulators` between chunks of CHUNK lanes
// and summed across lanes after the last).
__attribute__((target("avx512f")))
void fw_winograd_products_avx512(int points, const float *gt, const float *v, int inputs, int outputs, size_t length, size_t pitch,
                                 float *accumulators, float *du) {
    const int k4 = fw_winograd_round4(outputs), c4 = fw_winograd_round4(inputs);
    for (int xi = 0; xi < points; xi++)
        for (size_t t0 = 0; t0 < length; t0 += CHUNK) {
            const size_t t1 = t0 + CHUNK < length ? t0 + CHUNK : length;
            for (int k0 = 0; k0 < outputs; k0 += 4)
                for (int c0 = 0; c0 < inputs; c0 += 4) {
                    const float *g[4], *x[4];
                    for (int i = 0; i < 4; i++) {
                        g[i] = gt + ((size_t)xi * outputs + (k0 + i < outputs ? k0 + i : outputs - 1)) * pitch;
                        x[i] = v + ((size_t)xi * inputs + (c0 + i < inputs ? c0 + i : inputs - 1)) * pitch;
                    }
                    float *kept = accumulators + ((size_t)(k0 / 4) * (c4 / 4) + c0 / 4) * 16 * LANES;
                    __m512 s[16];
                    for (int i = 0; i < 16; i++) s[i] = t0 == 0 ? _mm512_setzero_ps() : _mm512_loadu_ps(kept + i * LANES);
                    for (size_t t = t0; t < t1; t += LANES) {
                        const __m512 x0 = _mm512_loadu_ps(x[0] + t), x1 = _mm512_loadu_ps(x[1] + t);
                        const __m512 x2 = _mm512_loadu_ps(x[2] + t), x3 = _mm512_loadu_ps(x[3] + t);
                        for (int kk = 0; kk < 4; kk++) {
                            const __m512 gk = _mm512_loadu_ps(g[kk] + t);
                            s[4 * kk] = _mm512_fmadd_ps(gk, x0, s[4 * kk]);
                            s[4 * kk + 1] = _mm512_fmadd_ps(gk, x1, s[4 * kk + 1]);
                            s[4 * kk + 2] = _mm512_fmadd_ps(gk, x2, s[4 * kk + 2]);
                            s[4 * kk + 3] = _mm512_fmadd_ps(gk, x3, s[4 * kk + 3]);
                        }
                    }
                    if (t1 < length) {
                        for (int i = 0; i < 16; i++) _mm512_storeu_ps(kept + i * LANES, s[i]);
                        continue;
                    }
                    float lanes[16];
                    _mm512_storeu_ps(lanes, sum_lanes16(s));
                    for (int i = 0; i < 16; i++) du[((size_t)xi * k4 + k0 + i / 4) * c4 + c0 + i % 4] = lanes[4 * (i % 4) + i / 4];
                }
        }
}

const WinogradSteps fw_winograd_avx512 = {2, 16, fw_split_plane, fw_pad_split, transform_input, fw_winograd_multiply_avx512, transform_output,
                                          transform_gradient, fw_winograd_products_avx512};
