// Winograd F(2×2, 3×3)'s steps on AVX2 + FMA (see Winograd.h and WinogradLayout.h): eight lanes,
// two tile rows to a vector on 8-pixel-wide planes, masked loads and stores at the ends of rows.
#include "WinogradLayout.h"
#include "Split.h"
#include "AVX2Lanes.h"
#include <immintrin.h>

enum { LANES = 8 };

static size_t tile_stride(int height, int width) { return fw_winograd_tile_stride(2, height, width); }
static int blocks(int outputs) { return fw_winograd_blocks(outputs); }

// Tile rows one vector holds: two when a row has four tiles (8-pixel planes), else one (narrower
// rows leave lanes idle).
static int rows_per_vector(int across) { return across == 4 ? 2 : 1; }

// Eight tiles' values: eight contiguous (group 1), or four from `p` and four from `p + step`.
__attribute__((target("avx2")))
static inline __m256 load_tiles(const float *p, size_t step, int group) {
    if (group == 1) return _mm256_loadu_ps(p);
    return _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(p)), _mm_loadu_ps(p + step), 1);
}

// V = Bᵀ d B for every tile and channel, Bᵀ = [[1,0,−1,0],[0,1,1,0],[0,−1,1,0],[0,1,0,−1]].
__attribute__((target("avx2,fma")))
static void transform_input(const float *p, int channels, int height, int width, float *v, size_t pitch) {
    const int wp = width + 2, half = wp / 2, across = width / 2, group = rows_per_vector(across);
    const size_t step = (size_t)channels * pitch;
    for (int c = 0; c < channels; c++) {
        const float *pc = p + (size_t)c * fw_split_plane(height, width);
        for (int ti = 0; ti < height / 2; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const int lanes = group > 1 ? LANES : (across - tj < LANES ? across - tj : LANES);
                __m256 t[4][4];
                for (int r = 0; r < 4; r++) {
                    const float *even = pc + (size_t)(2 * ti + r) * wp + tj, *odd = even + half;
                    const __m256 d0 = load_tiles(even, 2 * wp, group), d1 = load_tiles(odd, 2 * wp, group);
                    const __m256 d2 = load_tiles(even + 1, 2 * wp, group), d3 = load_tiles(odd + 1, 2 * wp, group);
                    t[r][0] = _mm256_sub_ps(d0, d2);
                    t[r][1] = _mm256_add_ps(d1, d2);
                    t[r][2] = _mm256_sub_ps(d2, d1);
                    t[r][3] = _mm256_sub_ps(d1, d3);
                }
                float *out = v + (size_t)c * pitch + (size_t)ti * across + tj;
                for (int j = 0; j < 4; j++) {
                    fw_store_first(out + (size_t)j * step, lanes, _mm256_sub_ps(t[0][j], t[2][j]));
                    fw_store_first(out + (size_t)(4 + j) * step, lanes, _mm256_add_ps(t[1][j], t[2][j]));
                    fw_store_first(out + (size_t)(8 + j) * step, lanes, _mm256_sub_ps(t[2][j], t[1][j]));
                    fw_store_first(out + (size_t)(12 + j) * step, lanes, _mm256_sub_ps(t[1][j], t[3][j]));
                }
            }
    }
}

// m[ξ][k][t] = Σ_c U[ξ][k][c] · v[ξ][c][t]: four output channels (`o0` onwards in the block) ×
// VECTORS vectors of tiles per step. Two vectors (eight accumulators) measured fastest: three
// (twelve) spill a register, AVX2 having sixteen (cnn-deep-32 trains 7% faster with two).
#define GEMM_STEP(VECTORS)                                                                                        \
    do {                                                                                                          \
        __m256 s[VECTORS][4];                                                                                     \
        for (int q = 0; q < VECTORS; q++)                                                                         \
            for (int o = 0; o < 4; o++) s[q][o] = _mm256_setzero_ps();                                            \
        for (int c = 0; c < inputs; c++) {                                                                        \
            const float *wc = ub + (size_t)c * BLOCK + o0, *vc = vx + (size_t)c * stride + t;                     \
            __m256 xv[VECTORS];                                                                                   \
            for (int q = 0; q < VECTORS; q++) xv[q] = _mm256_loadu_ps(vc + q * LANES);                            \
            for (int o = 0; o < 4; o++) {                                                                         \
                const __m256 weight = _mm256_broadcast_ss(wc + o);                                                \
                for (int q = 0; q < VECTORS; q++) s[q][o] = _mm256_fmadd_ps(weight, xv[q], s[q][o]);              \
            }                                                                                                     \
        }                                                                                                         \
        for (int o = 0; o < 4; o++)                                                                               \
            for (int q = 0; q < VECTORS; q++) _mm256_storeu_ps(mb + (size_t)(o0 + o) * m_stride + t + q * LANES, s[q][o]); \
    } while (0)

__attribute__((target("avx2,fma")))
static void multiply(int points, const float *v, size_t stride, int inputs, const float *packed, int outputs, size_t lanes, float *m,
                     size_t m_stride) {
    const int nb = blocks(outputs);
    for (int xi = 0; xi < points; xi++) {
        const float *vx = v + (size_t)xi * inputs * stride;
        for (int block = 0; block < nb; block++) {
            const float *ub = packed + ((size_t)xi * nb + block) * inputs * BLOCK;
            float *mb = m + ((size_t)xi * nb + block) * BLOCK * m_stride;
            const int used = outputs - block * BLOCK < BLOCK ? outputs - block * BLOCK : BLOCK;
            for (int o0 = 0; o0 < used; o0 += 4) {
                for (size_t t = 0; t < lanes; t += 2 * LANES) GEMM_STEP(2);   // lanes: a multiple of ROUND, two vectors
            }
        }
    }
}

// Output row i of eight tiles, their left and right columns interleaved (a0 b0 a1 b1 …), to
// `group` tile rows of `across` tiles (2·across floats each), the first at `row`, the other
// `step` floats on, as far as `rows` tile rows exist.
__attribute__((target("avx2")))
static void store_tiles(float *row, size_t step, __m256 a, __m256 b, int across, int group, int rows) {
    // unpack interleaves within each 128-bit half; permute2f128 puts the halves in order.
    const __m256 low = _mm256_unpacklo_ps(a, b), high = _mm256_unpackhi_ps(a, b);
    const __m256 first = _mm256_permute2f128_ps(low, high, 0x20), second = _mm256_permute2f128_ps(low, high, 0x31);
    if (group == 2) {   // four tiles a row: eight floats each
        _mm256_storeu_ps(row, first);
        if (rows > 1) _mm256_storeu_ps(row + step, second);
        return;
    }
    const int floats = 2 * (across < LANES ? across : LANES);
    fw_store_first(row, floats, first);
    if (floats > 8) fw_store_first(row + 8, floats - 8, second);
}

// scale · ((x − mean) · inverse std) + shift, a = {mean, inverse std, scale, shift}: a batch norm's
// inference in the order BatchNorm.c's plane_apply computes it (no fused multiply-add).
__attribute__((target("avx2")))
static inline __m256 normalize(__m256 x, const float *a) {
    const __m256 centred = _mm256_mul_ps(_mm256_sub_ps(x, _mm256_set1_ps(a[0])), _mm256_set1_ps(a[1]));
    return _mm256_add_ps(_mm256_mul_ps(_mm256_set1_ps(a[2]), centred), _mm256_set1_ps(a[3]));
}

// Y = Aᵀ m A per tile, Aᵀ = [[1,1,1,0],[0,1,−1,−1]], plus bias, normalised when `affine` (as
// BatchNorm.c's plane_apply does, operation for operation), rectified when relu.
__attribute__((target("avx2,fma")))
static void transform_output(const float *m, int outputs, int height, int width, const float *bias, const float *affine, int relu, float *y) {
    const int across = width / 2, nb = blocks(outputs), group = rows_per_vector(across);
    const size_t stride = tile_stride(height, width), step = (size_t)nb * BLOCK * stride;
    for (int k = 0; k < outputs; k++) {
        const __m256 b = _mm256_set1_ps(bias ? bias[k] : 0);
        const float *a = affine ? affine + 4 * (size_t)k : NULL;
        float *yk = y + (size_t)k * height * width;
        for (int ti = 0; ti < height / 2; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const float *mk = m + (size_t)k * stride + (size_t)ti * across + tj;
                __m256 s[2][4];
                for (int j = 0; j < 4; j++) {
                    const __m256 m0 = _mm256_loadu_ps(mk + (size_t)j * step), m1 = _mm256_loadu_ps(mk + (size_t)(4 + j) * step);
                    const __m256 m2 = _mm256_loadu_ps(mk + (size_t)(8 + j) * step), m3 = _mm256_loadu_ps(mk + (size_t)(12 + j) * step);
                    s[0][j] = _mm256_add_ps(_mm256_add_ps(m0, m1), m2);
                    s[1][j] = _mm256_sub_ps(_mm256_sub_ps(m1, m2), m3);
                }
                for (int i = 0; i < 2; i++) {
                    __m256 left = _mm256_add_ps(_mm256_add_ps(_mm256_add_ps(s[i][0], s[i][1]), s[i][2]), b);
                    __m256 right = _mm256_add_ps(_mm256_sub_ps(_mm256_sub_ps(s[i][1], s[i][2]), s[i][3]), b);
                    if (a) {
                        left = normalize(left, a);
                        right = normalize(right, a);
                    }
                    if (relu) {
                        left = _mm256_max_ps(left, _mm256_setzero_ps());
                        right = _mm256_max_ps(right, _mm256_setzero_ps());
                    }
                    store_tiles(yk + (size_t)(2 * ti + i) * width + 2 * tj, 2 * (size_t)width, left, right, across - tj, group,
                                height / 2 - ti);
                }
            }
    }
}

// Eight tiles' output gradients (2 × 2 each) from rows `row` and `row + width`: the left
// column's values in left, the right column's in right; tile rows past `rows` read as zero.
__attribute__((target("avx2")))
static void load_gradient_tiles(const float *row, int width, int across, int group, int rows, __m256 left[2], __m256 right[2]) {
    for (int a = 0; a < 2; a++) {
        const float *r = row + (size_t)a * width;
        __m256 low, high;
        if (group == 2) {   // four tiles a row: eight floats each, the next tile row 2·width on
            low = _mm256_loadu_ps(r);
            high = rows > 1 ? _mm256_loadu_ps(r + 2 * (size_t)width) : _mm256_setzero_ps();
        } else {
            const int floats = 2 * (across < LANES ? across : LANES);
            low = fw_load_first(r, floats);
            high = floats > 8 ? fw_load_first(r + 8, floats - 8) : _mm256_setzero_ps();
        }
        // As fw_pad_split_avx2 splits a row: even lanes of low then high, odd lanes likewise.
        left[a] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(low, high, 0x88)), 0xD8));
        right[a] = _mm256_castpd_ps(_mm256_permute4x64_pd(_mm256_castps_pd(_mm256_shuffle_ps(low, high, 0xDD)), 0xD8));
    }
}

// A dY Aᵀ for every tile and output channel (A = [[1,0],[1,1],[1,−1],[0,−1]]), laid out as V.
__attribute__((target("avx2,fma")))
static void transform_gradient(const float *g, int outputs, int height, int width, float *gt, size_t pitch) {
    const int across = width / 2, group = rows_per_vector(across);
    const size_t step = (size_t)outputs * pitch;
    const __m256 zero = _mm256_setzero_ps();
    for (int k = 0; k < outputs; k++) {
        const float *gk = g + (size_t)k * height * width;
        for (int ti = 0; ti < height / 2; ti += group)
            for (int tj = 0; tj < across; tj += LANES) {
                const int lanes = group > 1 ? LANES : (across - tj < LANES ? across - tj : LANES);
                __m256 left[2], right[2], h[2][4];
                load_gradient_tiles(gk + (size_t)(2 * ti) * width + 2 * tj, width, across - tj, group, height / 2 - ti, left, right);
                for (int a = 0; a < 2; a++) {
                    h[a][0] = left[a];
                    h[a][1] = _mm256_add_ps(left[a], right[a]);
                    h[a][2] = _mm256_sub_ps(left[a], right[a]);
                    h[a][3] = _mm256_sub_ps(zero, right[a]);
                }
                float *out = gt + (size_t)k * pitch + (size_t)ti * across + tj;
                for (int j = 0; j < 4; j++) {
                    fw_store_first(out + (size_t)j * step, lanes, h[0][j]);
                    fw_store_first(out + (size_t)(4 + j) * step, lanes, _mm256_add_ps(h[0][j], h[1][j]));
                    fw_store_first(out + (size_t)(8 + j) * step, lanes, _mm256_sub_ps(h[0][j], h[1][j]));
                    fw_store_first(out + (size_t)(12 + j) * step, lanes, _mm256_sub_ps(zero, h[1][j]));
                }
            }
    }
}

// The eight sums of a[0…7] across lanes, in one vector, lane i holding Σ a[i].
__attribute__((target("avx2")))
static __m256 sum_lanes8(const __m256 a[8]) {
    const __m256 h01 = _mm256_hadd_ps(a[0], a[1]), h23 = _mm256_hadd_ps(a[2], a[3]);
    const __m256 h45 = _mm256_hadd_ps(a[4], a[5]), h67 = _mm256_hadd_ps(a[6], a[7]);
    const __m256 q0 = _mm256_hadd_ps(h01, h23), q1 = _mm256_hadd_ps(h45, h67);   // per half: Σ a0…a3, Σ a4…a7
    return _mm256_add_ps(_mm256_permute2f128_ps(q0, q1, 0x20), _mm256_permute2f128_ps(q0, q1, 0x31));
}

// Lanes of each row one pass over the channel blocks reads (4 KB a row): the rows of a chunk stay
// in cache while every block uses them.
enum { CHUNK = 1024 };

// dU[ξ][k][c] = Σ_t gt[ξ][k][t] · v[ξ][c][t] over `length` lanes, four output × two input
// channels per step (eight accumulators, kept in `accumulators` between chunks of CHUNK lanes and
// summed across lanes after the last).
__attribute__((target("avx2,fma")))
static void products(int points, const float *gt, const float *v, int inputs, int outputs, size_t length, size_t pitch,
                     float *accumulators, float *du) {
    const int k4 = fw_winograd_round4(outputs), c4 = fw_winograd_round4(inputs);
    for (int xi = 0; xi < points; xi++)
        for (size_t t0 = 0; t0 < length; t0 += CHUNK) {
            const size_t t1 = t0 + CHUNK < length ? t0 + CHUNK : length;
            for (int k0 = 0; k0 < outputs; k0 += 4)
                for (int c0 = 0; c0 < inputs; c0 += 2) {
                    const float *g[4], *x[2];
                    for (int i = 0; i < 4; i++) g[i] = gt + ((size_t)xi * outputs + (k0 + i < outputs ? k0 + i : outputs - 1)) * pitch;
                    for (int i = 0; i < 2; i++) x[i] = v + ((size_t)xi * inputs + (c0 + i < inputs ? c0 + i : inputs - 1)) * pitch;
                    float *kept = accumulators + ((size_t)(k0 / 4) * (c4 / 2) + c0 / 2) * 8 * LANES;
                    __m256 s[8];
                    for (int i = 0; i < 8; i++) s[i] = t0 == 0 ? _mm256_setzero_ps() : _mm256_loadu_ps(kept + i * LANES);
                    for (size_t t = t0; t < t1; t += LANES) {
                        const __m256 x0 = _mm256_loadu_ps(x[0] + t), x1 = _mm256_loadu_ps(x[1] + t);
                        for (int kk = 0; kk < 4; kk++) {
                            const __m256 gk = _mm256_loadu_ps(g[kk] + t);
                            s[2 * kk] = _mm256_fmadd_ps(gk, x0, s[2 * kk]);
                            s[2 * kk + 1] = _mm256_fmadd_ps(gk, x1, s[2 * kk + 1]);
                        }
                    }
                    if (t1 < length) {
                        for (int i = 0; i < 8; i++) _mm256_storeu_ps(kept + i * LANES, s[i]);
                        continue;
                    }
                    float lanes[8];
                    _mm256_storeu_ps(lanes, sum_lanes8(s));
                    for (int i = 0; i < 8; i++) du[((size_t)xi * k4 + k0 + i / 2) * c4 + c0 + i % 2] = lanes[i];
                }
        }
}

const WinogradSteps fw_winograd_avx2 = {2, 16, fw_split_plane, fw_pad_split_avx2, transform_input, multiply, transform_output, transform_gradient,
                                        products};
