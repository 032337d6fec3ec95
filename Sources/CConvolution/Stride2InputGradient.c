// The input gradient of a stride-2 3×3 convolution in four phases on AVX-512 (see the header).
#include "Stride2InputGradient.h"
#include <immintrin.h>
#include <string.h>

// CHANNELS: input channels per pass, so that 4 phases × 4 channels = 16 accumulators, beside the
// four shifted gradient vectors.
enum { TAPS = 9, LANES = 16, CHANNELS = 4, PHASES = 4 };

size_t fw_conv3x3_stride2_input_gradient_packed_count(int inputs, int outputs) {
    return (size_t)((inputs + CHANNELS - 1) / CHANNELS) * outputs * TAPS * CHANNELS;
}

void fw_conv3x3_stride2_input_gradient_pack(const float *w, int inputs, int outputs, float *packed) {
    memset(packed, 0, fw_conv3x3_stride2_input_gradient_packed_count(inputs, outputs) * sizeof(float));
    for (int c = 0; c < inputs; c++)
        for (int o = 0; o < outputs; o++)
            for (int t = 0; t < TAPS; t++)
                packed[(((size_t)(c / CHANNELS) * outputs + o) * TAPS + t) * CHANNELS + c % CHANNELS] = w[((size_t)o * inputs + c) * TAPS + t];
}

int fw_conv3x3_stride2_input_gradient_covers(int height, int width) {
    return height >= 2 && height % 2 == 0 && width % 16 == 0;
}

// Which of the sixteen output-gradient pixels from flat index `first` of a rows × columns plane
// exist (`valid`), have a right neighbour (`right`), one below (`below`), and both (`diagonal`).
typedef struct { __mmask16 valid, right, below, diagonal; } Neighbours;

static Neighbours neighbours(int first, int rows, int columns) {
    Neighbours n = {0, 0, 0, 0};
    for (int k = 0; k < LANES; k++) {
        const int p = first + k;
        if (p >= rows * columns) break;
        const int has_right = p % columns < columns - 1, has_below = p / columns < rows - 1;
        n.valid |= (__mmask16)(1u << k);
        n.right |= (__mmask16)(has_right << k);
        n.below |= (__mmask16)(has_below << k);
        n.diagonal |= (__mmask16)((has_right & has_below) << k);
    }
    return n;
}

// Phase row `a` of sixteen output-gradient pixels from `first` (its even columns in `even`, odd
// in `odd`) into the input gradient's plane: pixels first … first + 7, then first + 8 … (when they
// exist), each half in one output row (columns is a multiple of 8), interleaved even, odd, ….
__attribute__((target("avx512f")))
static void store_phase_row(float *plane, int width, int columns, int first, int count, int a, __m512 even, __m512 odd) {
    const __m512i low = _mm512_setr_epi32(0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23);
    const __m512i high = _mm512_setr_epi32(8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31);
    const __m512 halves[2] = {_mm512_permutex2var_ps(even, low, odd), _mm512_permutex2var_ps(even, high, odd)};
    for (int h = 0; h < 2 && 8 * h < count; h++) {
        const int p = first + 8 * h, i = p / columns, j = p % columns;
        _mm512_storeu_ps(plane + (size_t)(2 * i + a) * width + 2 * j, halves[h]);
    }
}

// Four input channels from c0 (`count` of them real) at sixteen output-gradient pixels from `first`.
__attribute__((target("avx512f")))
static void phases_at(const float *g, int outputs, int rows, int columns, const float *packed, int first, Neighbours n,
                      float *dx, int width, int count) {
    const size_t plane = (size_t)rows * columns;
    __m512 s[PHASES][CHANNELS];
    for (int q = 0; q < PHASES; q++)
        for (int c = 0; c < CHANNELS; c++) s[q][c] = _mm512_setzero_ps();
    for (int o = 0; o < outputs; o++) {
        const float *go = g + (size_t)o * plane + first, *w = packed + (size_t)o * TAPS * CHANNELS;
        const __m512 here = _mm512_maskz_loadu_ps(n.valid, go), right = _mm512_maskz_loadu_ps(n.right, go + 1);
        const __m512 below = _mm512_maskz_loadu_ps(n.below, go + columns), diagonal = _mm512_maskz_loadu_ps(n.diagonal, go + columns + 1);
        for (int c = 0; c < CHANNELS; c++) {
#define TAP(u, v) _mm512_set1_ps(w[((u) * 3 + (v)) * CHANNELS + c])
            s[0][c] = _mm512_fmadd_ps(TAP(1, 1), here, s[0][c]);
            s[1][c] = _mm512_fmadd_ps(TAP(1, 0), right, _mm512_fmadd_ps(TAP(1, 2), here, s[1][c]));
            s[2][c] = _mm512_fmadd_ps(TAP(0, 1), below, _mm512_fmadd_ps(TAP(2, 1), here, s[2][c]));
            s[3][c] = _mm512_fmadd_ps(TAP(0, 0), diagonal,
                                      _mm512_fmadd_ps(TAP(0, 2), below, _mm512_fmadd_ps(TAP(2, 0), right, _mm512_fmadd_ps(TAP(2, 2), here, s[3][c]))));
#undef TAP
        }
    }
    const int pixels = (int)(plane - first < LANES ? plane - first : LANES);
    for (int c = 0; c < count; c++) {
        float *out = dx + (size_t)c * 4 * plane;
        store_phase_row(out, width, columns, first, pixels, 0, s[0][c], s[1][c]);
        store_phase_row(out, width, columns, first, pixels, 1, s[2][c], s[3][c]);
    }
}

__attribute__((target("avx512f")))
void fw_conv3x3_stride2_input_gradient(const float *g, int outputs, int height, int width, const float *packed, int inputs, float *dx) {
    const int rows = height / 2, columns = width / 2, plane = rows * columns;
    for (int first = 0; first < plane; first += LANES) {
        const Neighbours n = neighbours(first, rows, columns);
        for (int c0 = 0; c0 < inputs; c0 += CHANNELS) {
            const int count = inputs - c0 < CHANNELS ? inputs - c0 : CHANNELS;
            phases_at(g, outputs, rows, columns, packed + (size_t)(c0 / CHANNELS) * outputs * TAPS * CHANNELS, first, n,
                      dx + (size_t)c0 * height * width, width, count);
        }
    }
}
