// Direct 3×3 convolution (stride 1, and stride 2 on AVX-512) with AVX-512 and AVX2 kernels chosen at
// run time (see the header).
#include "CConvolution.h"
#include "Split.h"
#include "AVX2Lanes.h"
#include "Transpose16.h"
#include <immintrin.h>
#include <string.h>

// SLACK: zero floats after the padded image, read by lanes past the last row (at most three rows of
// ten plus a vector in the narrow kernels).
enum { BLOCK = 8, TAPS = 9, SLACK = 64 };

int fw_conv3x3_best_isa(void) {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f")) return 2;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return 1;
    return 0;
}

int fw_cpu_is_intel(void) {
    __builtin_cpu_init();
    return __builtin_cpu_is("intel");
}

size_t fw_conv3x3_packed_count(int inputs, int outputs) {
    return (size_t)((outputs + BLOCK - 1) / BLOCK) * inputs * TAPS * BLOCK;
}

// packed[block][c][tap][lane] = w[block·8 + lane][c][tap] (0 past the last output channel).
void fw_conv3x3_pack(const float *w, int inputs, int outputs, int adjoint, float *packed) {
    // With `adjoint`, the packed kernel's outputs are w's inputs and its inputs are w's outputs.
    int to = adjoint ? inputs : outputs, from = adjoint ? outputs : inputs;
    memset(packed, 0, fw_conv3x3_packed_count(from, to) * sizeof(float));
    for (int o = 0; o < to; o++)
        for (int c = 0; c < from; c++)
            for (int t = 0; t < TAPS; t++) {
                float value = adjoint ? w[((size_t)c * inputs + o) * TAPS + (TAPS - 1 - t)] : w[((size_t)o * inputs + c) * TAPS + t];
                packed[(((size_t)(o / BLOCK) * from + c) * TAPS + t) * BLOCK + o % BLOCK] = value;
            }
}

static int padded_width(int width) { return width + 2; }

// Where the kernels read: output pixel (i, j)'s window starts at i · row_step + j in its padded
// channel (`plane` floats each), tap t (row t / 3, column t % 3) `offsets[t]` further on.
typedef struct { int row_step; int offsets[TAPS]; size_t plane; } Window;

// Stride 1 on the padded image (pad).
static Window stride1_window(int height, int width) {
    const int wp = padded_width(width);
    Window w = {wp, {0}, (size_t)(height + 2) * wp};
    for (int t = 0; t < TAPS; t++) w.offsets[t] = (t / 3) * wp + t % 3;
    return w;
}

// Stride 2 on the split padded image (fw_pad_split): output row i reads padded rows 2i + u, output
// column j padded columns 2j (even[j]), 2j + 1 (odd[j]) and 2j + 2 (even[j + 1]).
static Window stride2_window(int height, int width) {
    const int wp = padded_width(width), half = wp / 2;
    Window w = {2 * wp, {0}, fw_split_plane(height, width)};
    for (int t = 0; t < TAPS; t++) w.offsets[t] = (t / 3) * wp + (t % 3 == 0 ? 0 : t % 3 == 1 ? half : 1);
    return w;
}

// Rows of at most NARROW pixels: on AVX-512, one vector holds two output rows.
enum { NARROW = 8 };

size_t fw_conv3x3_scratch_count(int channels, int height, int width) {
    const int row = width <= NARROW ? 3 * NARROW : padded_width(width);   // narrow rows: three shifted copies (shift_avx512)
    return (size_t)channels * (height + 2) * row + SLACK;
}

size_t fw_conv3x3_weight_gradient_scratch_count(int inputs, int outputs, int height, int width) {
    return fw_conv3x3_scratch_count(inputs, height, width) + (size_t)height * width * ((outputs + 15) / 16 * 16);
}

// Lanes `first` … `end` − 1 of a 16-lane vector (clamped to 0 … 16).
static inline __mmask16 lanes(int first, int end) {
    first = first < 0 ? 0 : first > 16 ? 16 : first;
    end = end < first ? first : end > 16 ? 16 : end;
    return (__mmask16)(((1u << end) - 1) & ~((1u << first) - 1));
}

// The image with a border of one zero on every side, then SLACK zeros (read by the lanes past a
// row's end, whose results are never stored). Every float is written once: a padded row's vector
// v holds padded columns 16v … 16v + 15, loaded from x's columns 16v − 1 … with the border lanes
// masked to zero (masked-off lanes touch no memory).
__attribute__((target("avx512f")))
static void pad_avx512(const float *x, int channels, int height, int width, float *p) {
    const int wp = padded_width(width), vectors = (wp + 15) / 16;
    const __m512 zero = _mm512_setzero_ps();
    for (int c = 0; c < channels; c++) {
        float *plane = p + (size_t)c * (height + 2) * wp;
        for (int v = 0; v < vectors; v++) {
            const __mmask16 row = lanes(0, wp - 16 * v);
            _mm512_mask_storeu_ps(plane + 16 * v, row, zero);
            _mm512_mask_storeu_ps(plane + (size_t)(height + 1) * wp + 16 * v, row, zero);
        }
        for (int i = 0; i < height; i++) {
            const float *source = x + ((size_t)c * height + i) * width - 1;
            float *row = plane + (size_t)(i + 1) * wp;
            for (int v = 0; v < vectors; v++)
                _mm512_mask_storeu_ps(row + 16 * v, lanes(0, wp - 16 * v),
                                      _mm512_maskz_loadu_ps(lanes(1 - 16 * v, width + 1 - 16 * v), source + 16 * v));
        }
    }
    memset(p + (size_t)channels * (height + 2) * wp, 0, SLACK * sizeof(float));
}

// pad_avx512 for CPUs without AVX-512: each padded row written once, its copy vectorised by the compiler.
__attribute__((target("avx2")))
static void pad_avx2(const float *restrict x, int channels, int height, int width, float *restrict p) {
    const int wp = padded_width(width);
    for (int c = 0; c < channels; c++) {
        float *plane = p + (size_t)c * (height + 2) * wp;
        memset(plane, 0, wp * sizeof(float));
        for (int i = 0; i < height; i++) {
            const float *source = x + ((size_t)c * height + i) * width;
            float *row = plane + (size_t)(i + 1) * wp;
            row[0] = 0;
            for (int j = 0; j < width; j++) row[j + 1] = source[j];
            row[wp - 1] = 0;
        }
        memset(plane + (size_t)(height + 1) * wp, 0, wp * sizeof(float));
    }
    memset(p + (size_t)channels * (height + 2) * wp, 0, SLACK * sizeof(float));
}

static void pad(int isa, const float *x, int channels, int height, int width, float *scratch) {
    if (isa >= 2) pad_avx512(x, channels, height, width, scratch);
    else pad_avx2(x, channels, height, width, scratch);
}

__attribute__((target("avx512f")))
static void store16(float *y, __m512 v, float bias, int relu, __mmask16 mask) {
    v = _mm512_add_ps(v, _mm512_set1_ps(bias));
    if (relu) v = _mm512_max_ps(v, _mm512_setzero_ps());
    _mm512_mask_storeu_ps(y, mask, v);
}

// Two output vectors of 16 lanes (anywhere in the plane) × eight output channels per step.
__attribute__((target("avx512f")))
static void conv_avx512(const float *xp, const Window *win, int inputs, int height, int width, const float *packed, int outputs,
                        const float *bias, int relu, float *y) {
    const int per_row = (width + 15) / 16, vectors = height * per_row;
    const size_t plane = win->plane;
    for (int block = 0; block < outputs; block += BLOCK) {
        const float *wb = packed + (size_t)(block / BLOCK) * inputs * TAPS * BLOCK;
        const int count = outputs - block < BLOCK ? outputs - block : BLOCK;
        for (int v = 0; v < vectors; v += 2) {
            const int v1 = v + 1 < vectors ? v + 1 : v;
            const int i0 = v / per_row, j0 = (v % per_row) * 16, i1 = v1 / per_row, j1 = (v1 % per_row) * 16;
            const float *a0 = xp + (size_t)i0 * win->row_step + j0, *a1 = xp + (size_t)i1 * win->row_step + j1;
            __m512 s0[BLOCK], s1[BLOCK];
            for (int o = 0; o < BLOCK; o++) { s0[o] = _mm512_setzero_ps(); s1[o] = _mm512_setzero_ps(); }
            for (int c = 0; c < inputs; c++) {
                const float *wc = wb + (size_t)c * TAPS * BLOCK, *p0 = a0 + c * plane, *p1 = a1 + c * plane;
                for (int t = 0; t < TAPS; t++) {
                    const int offset = win->offsets[t];
                    const __m512 x0 = _mm512_loadu_ps(p0 + offset), x1 = _mm512_loadu_ps(p1 + offset);
                    for (int o = 0; o < BLOCK; o++) {
                        const __m512 weight = _mm512_set1_ps(wc[t * BLOCK + o]);
                        s0[o] = _mm512_fmadd_ps(weight, x0, s0[o]);
                        s1[o] = _mm512_fmadd_ps(weight, x1, s1[o]);
                    }
                }
            }
            const __mmask16 m0 = (__mmask16)((1u << (width - j0 < 16 ? width - j0 : 16)) - 1);
            const __mmask16 m1 = (__mmask16)((1u << (width - j1 < 16 ? width - j1 : 16)) - 1);
            for (int o = 0; o < count; o++) {
                float *out = y + (size_t)(block + o) * height * width;
                const float b = bias ? bias[block + o] : 0;
                store16(out + (size_t)i0 * width + j0, s0[o], b, relu, m0);
                if (v1 != v) store16(out + (size_t)i1 * width + j1, s1[o], b, relu, m1);
            }
        }
    }
}

// Rows of at most 8 pixels: one vector holds two rows (lanes 0–7 the first, 8–15 the second).
__attribute__((target("avx512f")))
static inline __m512 two_rows(const float *first, const float *second) {
    __m512d low = _mm512_castps_pd(_mm512_castps256_ps512(_mm256_loadu_ps(first)));
    return _mm512_castpd_ps(_mm512_insertf64x4(low, _mm256_castps_pd(_mm256_loadu_ps(second)), 1));
}

// Lanes 0–7 to row `first`, lanes 8–15 to row `second` (when it exists), `width` pixels each.
__attribute__((target("avx512f")))
static void store_two_rows(float *first, float *second, __m512 v, float bias, int relu, int width) {
    v = _mm512_add_ps(v, _mm512_set1_ps(bias));
    if (relu) v = _mm512_max_ps(v, _mm512_setzero_ps());
    const unsigned row = (1u << width) - 1;
    _mm512_mask_storeu_ps(first, (__mmask16)row, v);
    if (second) _mm512_mask_storeu_ps(second - 8, (__mmask16)(row << 8), v);   // masked-off lanes touch no memory
}

// For rows of at most NARROW pixels (stride 1): each channel as three copies of the padded image,
// copy v shifted left by v columns and cut to rows of NARROW floats (zeros past the padded row),
// so that tap (u, v) of two consecutive output rows i, i + 1 is the 16 contiguous floats from
// copy v's row i + u — one load, where the padded image needs two and a lane shuffle. Layout:
// [channel][v][row 0 … height + 1][NARROW], then SLACK zeros (read by lanes past the last row).
__attribute__((target("avx512f")))
static void shift_avx512(const float *x, int channels, int height, int width, float *p) {
    const size_t copy = (size_t)(height + 2) * NARROW;
    const __m256 zero = _mm256_setzero_ps();
    for (int c = 0; c < channels; c++)
        for (int v = 0; v < 3; v++) {
            float *q = p + ((size_t)c * 3 + v) * copy;
            _mm256_storeu_ps(q, zero);
            _mm256_storeu_ps(q + (height + 1) * NARROW, zero);
            // Copy v's column j is padded column j + v, x's column j + v − 1.
            const __mmask16 valid = lanes(1 - v, width + 1 - v);
            for (int i = 0; i < height; i++) {
                const __m512 row = _mm512_maskz_loadu_ps(valid, x + ((size_t)c * height + i) * width + v - 1);
                _mm256_storeu_ps(q + (i + 1) * NARROW, _mm512_castps512_ps256(row));
            }
        }
    memset(p + (size_t)channels * 3 * copy, 0, SLACK * sizeof(float));
}

// Where the narrow kernel reads the shifted copies (shift_avx512): tap t in copy t % 3, row t / 3.
static Window shifted_window(int height) {
    const size_t copy = (size_t)(height + 2) * NARROW;
    Window w = {NARROW, {0}, 3 * copy};
    for (int t = 0; t < TAPS; t++) w.offsets[t] = (int)((t % 3) * copy + (t / 3) * NARROW);
    return w;
}

// Rows i and i + 1 of a tap's window, `step` floats apart, in one vector: one load where they are
// contiguous (the shifted copies), else two half loads and a lane shuffle (the split image).
__attribute__((target("avx512f"))) static inline __attribute__((always_inline))
__m512 row_pair(const float *q, int step, int contiguous) {
    return contiguous ? _mm512_loadu_ps(q) : two_rows(q, q + step);
}

// Two vectors of two rows each (four rows) × eight output channels per step, for rows of ≤ NARROW
// pixels: on the shifted copies (stride 1, `contiguous`; on the Intel Xeon, a C microbenchmark,
// best of 12, shifting included: 1.1–1.3× the split loads on 8 × 8 planes of 32 or 64 channels,
// 1.45× on 16) or on the split padded image (stride 2). Each output summed in the order c, tap.
__attribute__((target("avx512f"))) static inline __attribute__((always_inline))
void conv_narrow(const float *xp, const Window *win, int contiguous, int inputs, int height, int width, const float *packed, int outputs,
                 const float *bias, int relu, float *y) {
    const int step = win->row_step;
    const size_t plane = win->plane;
    for (int block = 0; block < outputs; block += BLOCK) {
        const float *wb = packed + (size_t)(block / BLOCK) * inputs * TAPS * BLOCK;
        const int count = outputs - block < BLOCK ? outputs - block : BLOCK;
        for (int i = 0; i < height; i += 4) {
            __m512 s0[BLOCK], s1[BLOCK];
            for (int o = 0; o < BLOCK; o++) { s0[o] = _mm512_setzero_ps(); s1[o] = _mm512_setzero_ps(); }
            for (int c = 0; c < inputs; c++) {
                const float *wc = wb + (size_t)c * TAPS * BLOCK, *p = xp + c * plane + (size_t)i * step;
                for (int t = 0; t < TAPS; t++) {
                    const float *q = p + win->offsets[t];
                    const __m512 x0 = row_pair(q, step, contiguous), x1 = row_pair(q + 2 * step, step, contiguous);
                    for (int o = 0; o < BLOCK; o++) {
                        const __m512 weight = _mm512_set1_ps(wc[t * BLOCK + o]);
                        s0[o] = _mm512_fmadd_ps(weight, x0, s0[o]);
                        s1[o] = _mm512_fmadd_ps(weight, x1, s1[o]);
                    }
                }
            }
            for (int o = 0; o < count; o++) {
                float *out = y + (size_t)(block + o) * height * width;
                const float b = bias ? bias[block + o] : 0;
                store_two_rows(out + (size_t)i * width, i + 1 < height ? out + (size_t)(i + 1) * width : NULL, s0[o], b, relu, width);
                if (i + 2 < height)
                    store_two_rows(out + (size_t)(i + 2) * width, i + 3 < height ? out + (size_t)(i + 3) * width : NULL, s1[o], b, relu, width);
            }
        }
    }
}

__attribute__((target("avx512f")))
static void conv_avx512_shifted(const float *xs, int inputs, int height, int width, const float *packed, int outputs,
                                const float *bias, int relu, float *y) {
    const Window win = shifted_window(height);
    conv_narrow(xs, &win, 1, inputs, height, width, packed, outputs, bias, relu, y);
}

__attribute__((target("avx512f")))
static void conv_avx512_narrow(const float *xp, const Window *win, int inputs, int height, int width, const float *packed, int outputs,
                               const float *bias, int relu, float *y) {
    conv_narrow(xp, win, 0, inputs, height, width, packed, outputs, bias, relu, y);
}

__attribute__((target("avx2,fma")))
static void store8(float *y, __m256 v, float bias, int relu, int lanes) {
    v = _mm256_add_ps(v, _mm256_set1_ps(bias));
    if (relu) v = _mm256_max_ps(v, _mm256_setzero_ps());
    if (lanes == 8) { _mm256_storeu_ps(y, v); return; }
    float lane[8];
    _mm256_storeu_ps(lane, v);
    memcpy(y, lane, lanes * sizeof(float));
}

// Two output vectors of 8 lanes (anywhere in the plane) × four output channels per step: eight
// accumulators leave AVX2's sixteen registers room for the inputs and the broadcast weight.
// One vector × eight channels, which needed a broadcast per multiply-add, trained cnn-deep-32 on
// this kernel alone at 953 img/s; this does 1264 (emulated AVX2, `flywheel bench`, one thread).
__attribute__((target("avx2,fma")))
static void conv_avx2(const float *xp, const Window *win, int inputs, int height, int width, const float *packed, int outputs,
                      const float *bias, int relu, float *y) {
    enum { HALF = BLOCK / 2 };
    const int per_row = (width + 7) / 8, vectors = height * per_row;
    const size_t plane = win->plane;
    for (int first = 0; first < outputs; first += HALF) {
        const int block = first / BLOCK * BLOCK, half = first - block;
        const float *wb = packed + (size_t)(block / BLOCK) * inputs * TAPS * BLOCK + half;
        const int count = outputs - first < HALF ? outputs - first : HALF;
        for (int v = 0; v < vectors; v += 2) {
            const int v1 = v + 1 < vectors ? v + 1 : v;
            const int i0 = v / per_row, j0 = (v % per_row) * 8, i1 = v1 / per_row, j1 = (v1 % per_row) * 8;
            const float *a0 = xp + (size_t)i0 * win->row_step + j0, *a1 = xp + (size_t)i1 * win->row_step + j1;
            __m256 s0[HALF], s1[HALF];
            for (int o = 0; o < HALF; o++) { s0[o] = _mm256_setzero_ps(); s1[o] = _mm256_setzero_ps(); }
            for (int c = 0; c < inputs; c++) {
                const float *wc = wb + (size_t)c * TAPS * BLOCK, *p0 = a0 + c * plane, *p1 = a1 + c * plane;
                for (int t = 0; t < TAPS; t++) {
                    const __m256 x0 = _mm256_loadu_ps(p0 + win->offsets[t]), x1 = _mm256_loadu_ps(p1 + win->offsets[t]);
                    for (int o = 0; o < HALF; o++) {
                        const __m256 weight = _mm256_broadcast_ss(wc + t * BLOCK + o);
                        s0[o] = _mm256_fmadd_ps(weight, x0, s0[o]);
                        s1[o] = _mm256_fmadd_ps(weight, x1, s1[o]);
                    }
                }
            }
            const int lanes0 = width - j0 < 8 ? width - j0 : 8, lanes1 = width - j1 < 8 ? width - j1 : 8;
            for (int o = 0; o < count; o++) {
                float *out = y + (size_t)(first + o) * height * width;
                const float b = bias ? bias[first + o] : 0;
                store8(out + (size_t)i0 * width + j0, s0[o], b, relu, lanes0);
                if (v1 != v) store8(out + (size_t)i1 * width + j1, s1[o], b, relu, lanes1);
            }
        }
    }
}

void fw_conv3x3(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                const float *bias, int relu, float *scratch, float *y) {
    if (isa >= 2 && width <= NARROW) {
        shift_avx512(x, inputs, height, width, scratch);
        conv_avx512_shifted(scratch, inputs, height, width, packed, outputs, bias, relu, y);
        return;
    }
    pad(isa, x, inputs, height, width, scratch);
    const Window win = stride1_window(height, width);
    if (isa >= 2) conv_avx512(scratch, &win, inputs, height, width, packed, outputs, bias, relu, y);
    else conv_avx2(scratch, &win, inputs, height, width, packed, outputs, bias, relu, y);
}

void fw_conv3x3_stride2(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                        const float *bias, int relu, float *scratch, float *y) {
    const Window win = stride2_window(height, width);
    if (isa < 2) {
        fw_pad_split_avx2(x, inputs, height, width, scratch);
        conv_avx2(scratch, &win, inputs, height / 2, width / 2, packed, outputs, bias, relu, y);
        return;
    }
    fw_pad_split(x, inputs, height, width, scratch);
    if (width / 2 <= NARROW) conv_avx512_narrow(scratch, &win, inputs, height / 2, width / 2, packed, outputs, bias, relu, y);
    else conv_avx512(scratch, &win, inputs, height / 2, width / 2, packed, outputs, bias, relu, y);
}

// Pixels p … p + 15 of sixteen rows `pixels` floats apart (one output channel's gradient each;
// rows from `count` on read as zero) written as sixteen vectors of one pixel each (out + 16 · pixel).
__attribute__((target("avx512f")))
static void transpose_pixels16(const float *rows, size_t pixels, int count, size_t p, float *out) {
    __m512 r[16], t[16];
    for (int o = 0; o < 16; o++) r[o] = o < count ? _mm512_loadu_ps(rows + o * pixels + p) : _mm512_setzero_ps();
    transpose16(r, t);
    for (int k = 0; k < 16; k++) _mm512_storeu_ps(out + 16 * (p + k), t[k]);
}

// g (outputs, pixels) transposed into gt (blocks, pixels, 16): block b holds output channels
// 16b … 16b + 15 at each pixel in one vector, zeros past the last channel; whole squares of
// 16 × 16 by transpose_pixels16, the rest one float at a time.
__attribute__((target("avx512f")))
static void transpose_gradient(const float *g, int outputs, size_t pixels, float *gt) {
    for (int block = 0; block < outputs; block += 16) {
        float *out = gt + (size_t)block * pixels;
        const int count = outputs - block < 16 ? outputs - block : 16;
        const float *rows = g + (size_t)block * pixels;
        size_t p = 0;
        for (; p + 16 <= pixels; p += 16) transpose_pixels16(rows, pixels, count, p, out);
        for (; p < pixels; p++) {
            for (int o = 0; o < count; o++) out[p * 16 + o] = rows[(size_t)o * pixels + p];
            for (int o = count; o < 16; o++) out[p * 16 + o] = 0;
        }
    }
}

// The weight gradient's accumulators: lane o of s[(q · channels + c) · 9 + t] sums, over the
// image, output channel 16q + o's gradient times input channel c shifted by tap t. A pass keeps
// `vectors` × `channels` × 9 ≤ 27 of them in registers: one block of sixteen output channels ×
// up to three input channels, or two blocks × one input channel, which broadcasts each input
// float once for both blocks (11 loads a step for 18 multiply-adds rather than 28 for 27). No sum
// crosses lanes, and every sum adds the pixels in row-major order, whatever the blocking.
enum { GRADIENT_SUMS = 27, GRADIENT_INPUTS = 3 };

// Output pixels j … j + `pixels` − 1 of row i: `vectors` gradient vectors a pixel (`block_step`
// floats apart in gt), each multiplied by the input broadcast from memory. With more than one
// pixel (stride 1 only: unit columns), pixel p's tap in column v reads the same input float as
// pixel p + 1's tap in column v − 1, so a row of the window loads `pixels` + 2 floats, not 3 · pixels.
__attribute__((target("avx512f"))) static inline __attribute__((always_inline))
void weight_gradient_step(const float *x, size_t padded_plane, int vectors, int channels, int pixels, size_t row_step,
                          int tap_row, int column1, int column2, int i, int j, const float *gr, size_t block_step, __m512 *s) {
    __m512 gv[2][4];
    for (int q = 0; q < vectors; q++)
        for (int p = 0; p < pixels; p++) gv[q][p] = _mm512_loadu_ps(gr + q * block_step + (size_t)(j + p) * 16);
    for (int c = 0; c < channels; c++)
        for (int u = 0; u < 3; u++) {
            const float *r = x + c * padded_plane + (size_t)i * row_step + u * tap_row + j;
            const int columns[3] = {0, column1, column2};
            for (int e = 0; e < (pixels == 1 ? 3 : pixels + 2); e++) {
                const __m512 b = _mm512_set1_ps(r[pixels == 1 ? columns[e] : e]);
                for (int p = 0; p < pixels; p++) {
                    const int v = e - p;
                    if (v < 0 || v > 2) continue;
                    for (int q = 0; q < vectors; q++) {
                        __m512 *a = s + (q * channels + c) * TAPS + 3 * u + v;
                        *a = _mm512_fmadd_ps(gv[q][p], b, *a);
                    }
                }
            }
        }
}

// One pass over the image for `vectors` blocks of output channels × `channels` input channels,
// `pixels` output pixels a step (then one at a time to the row's end). A tap's column is 0,
// `column1` or `column2` pixels on. Inlined with constant blocking, and constant columns for
// stride 1 (which become address displacements).
__attribute__((target("avx512f"))) static inline __attribute__((always_inline))
void weight_gradient_pass(const float *x, size_t padded_plane, int vectors, int channels, int pixels, size_t row_step, int tap_row,
                          int column1, int column2, int height, int width, const float *gt, size_t block_step, __m512 s[GRADIENT_SUMS]) {
    // Sums in a local array, which stays in registers: stores through `s` might alias the inputs
    // (vector types alias anything), so sums kept there would be stored after every step.
    __m512 sums[GRADIENT_SUMS];
    for (int k = 0; k < vectors * channels * TAPS; k++) sums[k] = _mm512_setzero_ps();
    for (int i = 0; i < height; i++) {
        const float *gr = gt + (size_t)i * width * 16;
        int j = 0;
        for (; j + pixels <= width; j += pixels)
            weight_gradient_step(x, padded_plane, vectors, channels, pixels, row_step, tap_row, column1, column2, i, j, gr, block_step, sums);
        for (; j < width; j++)
            weight_gradient_step(x, padded_plane, vectors, channels, 1, row_step, tap_row, column1, column2, i, j, gr, block_step, sums);
    }
    for (int k = 0; k < vectors * channels * TAPS; k++) s[k] = sums[k];
}

// weight_gradient_pass for `vectors` × `channels` (2 × 1, or 1 × 1–3), with the stride-1 columns
// as constants and, on stride 1, several pixels a step: four for two blocks or for fewer than
// three channels, two for three channels (whose 27 sums leave registers for two pixels'
// gradients). On the Intel Xeon, a C microbenchmark (best of 12, eight images): the 16 → 32 …
// 64 → 128-channel layers 1.1–1.4× as fast as with one block and one pixel a step, 16 → 16 on
// 32 × 32 planes 1.4×, 1 → 16 1.4×.
__attribute__((target("avx512f")))
static void weight_gradient_pass_of(const float *x, const Window *win, int vectors, int channels, int height, int width, const float *gt,
                                    size_t block_step, __m512 s[GRADIENT_SUMS]) {
    const size_t plane = win->plane, step = win->row_step;
    const int row = win->offsets[3], column1 = win->offsets[1], column2 = win->offsets[2];
    if (column1 == 1 && column2 == 2) {
        if (vectors == 2) weight_gradient_pass(x, plane, 2, 1, 4, step, row, 1, 2, height, width, gt, block_step, s);
        else if (channels == 3) weight_gradient_pass(x, plane, 1, 3, 2, step, row, 1, 2, height, width, gt, block_step, s);
        else if (channels == 2) weight_gradient_pass(x, plane, 1, 2, 4, step, row, 1, 2, height, width, gt, block_step, s);
        else weight_gradient_pass(x, plane, 1, 1, 4, step, row, 1, 2, height, width, gt, block_step, s);
    } else {
        if (vectors == 2) weight_gradient_pass(x, plane, 2, 1, 1, step, row, column1, column2, height, width, gt, block_step, s);
        else if (channels == 3) weight_gradient_pass(x, plane, 1, 3, 1, step, row, column1, column2, height, width, gt, block_step, s);
        else if (channels == 2) weight_gradient_pass(x, plane, 1, 2, 1, step, row, column1, column2, height, width, gt, block_step, s);
        else weight_gradient_pass(x, plane, 1, 1, 1, step, row, column1, column2, height, width, gt, block_step, s);
    }
}

// Adds the `n` accumulators s (n ≤ 27; lane o of s[k] is output channel o's sum k) to the first
// `outputs` rows of dw, `row` floats apart, each row's n sums contiguous: transposed sixteen by
// sixteen, so each output channel's sums are one or two vectors.
__attribute__((target("avx512f")))
static void add_sums(const __m512 s[GRADIENT_SUMS], int n, int outputs, float *dw, size_t row) {
    __m512 first[16], rest[16], low[16], high[16];
    for (int k = 0; k < 16; k++) {
        first[k] = k < n ? s[k] : _mm512_setzero_ps();
        rest[k] = 16 + k < n ? s[16 + k] : _mm512_setzero_ps();
    }
    transpose16(first, low);
    if (n > 16) transpose16(rest, high);
    const __mmask16 low_mask = (__mmask16)(n >= 16 ? 0xFFFF : (1u << n) - 1), high_mask = (__mmask16)(n > 16 ? (1u << (n - 16)) - 1 : 0);
    for (int o = 0; o < outputs; o++) {
        float *d = dw + o * row;
        _mm512_mask_storeu_ps(d, low_mask, _mm512_add_ps(_mm512_maskz_loadu_ps(low_mask, d), low[o]));
        if (n > 16) _mm512_mask_storeu_ps(d + 16, high_mask, _mm512_add_ps(_mm512_maskz_loadu_ps(high_mask, d + 16), high[o]));
    }
}

// Output channels in pairs of sixteen-channel blocks, one input channel a pass, then what is left
// (one block of at most sixteen) with up to three input channels a pass.
__attribute__((target("avx512f")))
static void weight_gradient_avx512(const float *xp, const Window *win, int inputs, int height, int width, const float *g, int outputs,
                                   float *gt, float *dw) {
    const size_t plane = (size_t)height * width, block_step = 16 * plane, dw_row = (size_t)inputs * TAPS;
    transpose_gradient(g, outputs, plane, gt);
    int block = 0;
    for (; block + 32 <= outputs; block += 32)
        for (int c = 0; c < inputs; c++) {
            __m512 s[GRADIENT_SUMS];
            weight_gradient_pass_of(xp + (size_t)c * win->plane, win, 2, 1, height, width, gt + (size_t)block * plane, block_step, s);
            add_sums(s, TAPS, 16, dw + ((size_t)block * inputs + c) * TAPS, dw_row);
            add_sums(s + TAPS, TAPS, 16, dw + ((size_t)(block + 16) * inputs + c) * TAPS, dw_row);
        }
    for (; block < outputs; block += 16) {
        const int last = outputs - block < 16 ? outputs - block : 16;
        for (int c0 = 0; c0 < inputs; c0 += GRADIENT_INPUTS) {
            const int count = inputs - c0 < GRADIENT_INPUTS ? inputs - c0 : GRADIENT_INPUTS;
            __m512 s[GRADIENT_SUMS];
            weight_gradient_pass_of(xp + (size_t)c0 * win->plane, win, 1, count, height, width, gt + (size_t)block * plane, block_step, s);
            add_sums(s, count * TAPS, last, dw + ((size_t)block * inputs + c0) * TAPS, dw_row);
        }
    }
}

// The sum of v's eight lanes.
__attribute__((target("avx2")))
static float sum8(__m256 v) {
    __m128 h = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    h = _mm_add_ps(h, _mm_movehl_ps(h, h));
    return _mm_cvtss_f32(_mm_add_ss(h, _mm_movehdup_ps(h)));
}

// One output channel × nine taps of one input channel per pass on AVX2: nine accumulators,
// each the lane-wise sum over the image of g[o] · x shifted by the tap, added across lanes at the end.
__attribute__((target("avx2,fma")))
static void weight_gradient_avx2(const float *xp, const Window *win, int inputs, int height, int width, const float *g, int outputs,
                                 float *dw) {
    const int per_row = (width + 7) / 8;
    const size_t plane = (size_t)height * width, padded_plane = win->plane;
    for (int o = 0; o < outputs; o++)
        for (int c = 0; c < inputs; c++) {
            __m256 s[TAPS];
            for (int t = 0; t < TAPS; t++) s[t] = _mm256_setzero_ps();
            const float *xc = xp + c * padded_plane, *go = g + o * plane;
            for (int i = 0; i < height; i++)
                for (int q = 0; q < per_row; q++) {
                    const int j = q * 8;
                    const __m256 gv = fw_load_first(go + (size_t)i * width + j, width - j);
                    const float *xv = xc + (size_t)i * win->row_step + j;
                    for (int t = 0; t < TAPS; t++) s[t] = _mm256_fmadd_ps(gv, _mm256_loadu_ps(xv + win->offsets[t]), s[t]);
                }
            for (int t = 0; t < TAPS; t++) dw[((size_t)o * inputs + c) * TAPS + t] += sum8(s[t]);
        }
}

void fw_conv3x3_weight_gradient(int isa, const float *x, int inputs, int height, int width, const float *g, int outputs,
                                float *scratch, float *dw) {
    pad(isa, x, inputs, height, width, scratch);
    const Window win = stride1_window(height, width);
    if (isa < 2) weight_gradient_avx2(scratch, &win, inputs, height, width, g, outputs, dw);
    else weight_gradient_avx512(scratch, &win, inputs, height, width, g, outputs, scratch + fw_conv3x3_scratch_count(inputs, height, width), dw);
}

void fw_conv3x3_stride2_weight_gradient(int isa, const float *x, int inputs, int height, int width, const float *g, int outputs,
                                        float *scratch, float *dw) {
    const Window win = stride2_window(height, width);
    if (isa < 2) {
        fw_pad_split_avx2(x, inputs, height, width, scratch);
        weight_gradient_avx2(scratch, &win, inputs, height / 2, width / 2, g, outputs, dw);
        return;
    }
    fw_pad_split(x, inputs, height, width, scratch);
    weight_gradient_avx512(scratch, &win, inputs, height / 2, width / 2, g, outputs, scratch + fw_conv3x3_scratch_count(inputs, height, width), dw);
}
