// Winograd convolution (see Winograd.h): which tile runs, the weights' transforms, the buffers'
// layout, and each pass strung together from one instruction set's steps (WinogradLayout.h).
#include "Winograd.h"
#include "WinogradLayout.h"
#include "Split.h"
#include <string.h>

static int blocks(int outputs) { return fw_winograd_blocks(outputs); }

int fw_winograd_tile_size(int isa, int height, int width) { return isa == 2 && fw_winograd4_covers(height, width) ? 4 : 2; }

int fw_winograd4_covers(int height, int width) {
    if (height % 4 || width % 4 || height < 16 || width < 16) return 0;
    return (height / 4) % fw_winograd_rows_per_vector16(width / 4) == 0;
}

// The steps that run on `isa` for this plane.
static const WinogradSteps *steps(int isa, int height, int width) {
    if (fw_winograd_tile_size(isa, height, width) == 4) return &fw_winograd4_avx512;
    return isa == 2 ? &fw_winograd_avx512 : &fw_winograd_avx2;
}

static size_t tile_vectors(const WinogradSteps *s, int height, int width) { return fw_winograd_tile_vectors(s->tile, height, width); }
static size_t tile_stride(const WinogradSteps *s, int height, int width) { return fw_winograd_tile_stride(s->tile, height, width); }
// Floats of the split image (and its slack) at the start of the scratch.
static size_t split_floats(const WinogradSteps *s, int inputs, int height, int width) {
    return (size_t)inputs * s->split_plane(height, width) + FW_SPLIT_SLACK;
}

int fw_winograd_points(int isa, int height, int width) { return steps(isa, height, width)->points; }

size_t fw_winograd_packed_count(int isa, int inputs, int outputs, int height, int width) {
    return (size_t)fw_winograd_points(isa, height, width) * blocks(outputs) * inputs * BLOCK;
}

// U = G g Gᵀ for BLOCK kernels at once (lane = output channel), g[tap][lane] row-major taps,
// G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]; u[ξ][lane].
static void transform_kernels2(const float g[9][BLOCK], float u[POINTS][BLOCK]) {
    float t[4][3][BLOCK];
    for (int j = 0; j < 3; j++)
        for (int l = 0; l < BLOCK; l++) {
            t[0][j][l] = g[j][l];
            t[1][j][l] = 0.5f * (g[j][l] + g[3 + j][l] + g[6 + j][l]);
            t[2][j][l] = 0.5f * (g[j][l] - g[3 + j][l] + g[6 + j][l]);
            t[3][j][l] = g[6 + j][l];
        }
    for (int i = 0; i < 4; i++)
        for (int l = 0; l < BLOCK; l++) {
            u[4 * i][l] = t[i][0][l];
            u[4 * i + 1][l] = 0.5f * (t[i][0][l] + t[i][1][l] + t[i][2][l]);
            u[4 * i + 2][l] = 0.5f * (t[i][0][l] - t[i][1][l] + t[i][2][l]);
            u[4 * i + 3][l] = t[i][2][l];
        }
}

// F(4×4, 3×3)'s G (points 0, 1, −1, 2, −2, ∞).
static const float G4[6][3] = {{0.25f, 0, 0},
                               {-1.0f / 6, -1.0f / 6, -1.0f / 6},
                               {-1.0f / 6, 1.0f / 6, -1.0f / 6},
                               {1.0f / 24, 1.0f / 12, 1.0f / 6},
                               {1.0f / 24, -1.0f / 12, 1.0f / 6},
                               {0, 0, 1}};

// G v for F(4×4, 3×3)'s G on three values (each a BLOCK of lanes): six, by the shared sums.
__attribute__((target("avx2,fma")))
static inline void kernel_1d4(const float *v0, const float *v1, const float *v2, float *out, size_t out_step) {
    for (int l = 0; l < BLOCK; l++) {
        const float a = v0[l] + v2[l], b = 0.25f * v0[l] + v2[l], c = 0.5f * v1[l];
        out[l] = 0.25f * v0[l];
        out[out_step + l] = (a + v1[l]) * (-1.0f / 6);
        out[2 * out_step + l] = (a - v1[l]) * (-1.0f / 6);
        out[3 * out_step + l] = (b + c) * (1.0f / 6);
        out[4 * out_step + l] = (b - c) * (1.0f / 6);
        out[5 * out_step + l] = v2[l];
    }
}

// U = G g Gᵀ with F(4×4, 3×3)'s G, as transform_kernels2 lays it out (36 points).
__attribute__((target("avx2,fma")))
static void transform_kernels4(const float g[9][BLOCK], float u[POINTS][BLOCK]) {
    float t[6][3][BLOCK];   // t[i][j] = (G g)[i][j]: down each column j of g
    for (int j = 0; j < 3; j++) kernel_1d4(g[j], g[3 + j], g[6 + j], t[0][j], 3 * BLOCK);
    for (int i = 0; i < 6; i++) kernel_1d4(t[i][0], t[i][1], t[i][2], u[6 * i], BLOCK);
}

// packed[ξ][block][c][lane] = U(block·8 + lane, c)[ξ] (0 past the last output channel); eight
// output channels are transformed together, so each point's eight values are stored at once.
void fw_winograd_pack(int isa, const float *w, int inputs, int outputs, int adjoint, int height, int width, float *packed) {
    const int to = adjoint ? inputs : outputs, from = adjoint ? outputs : inputs, nb = blocks(to);
    const WinogradSteps *s = steps(isa, height, width);
    for (int block = 0; block < nb; block++)
        for (int c = 0; c < from; c++) {
            float g[9][BLOCK], u[POINTS][BLOCK];
            for (int l = 0; l < BLOCK; l++) {
                const int o = block * BLOCK + l;
                for (int t = 0; t < 9; t++)
                    g[t][l] = o >= to ? 0 : adjoint ? w[((size_t)c * inputs + o) * 9 + (8 - t)] : w[((size_t)o * inputs + c) * 9 + t];
            }
            if (s->tile == 4) transform_kernels4(g, u); else transform_kernels2(g, u);
            for (int xi = 0; xi < s->points; xi++) memcpy(packed + (((size_t)xi * nb + block) * from + c) * BLOCK, u[xi], sizeof u[xi]);
        }
}

size_t fw_winograd_scratch_count(int isa, int inputs, int outputs, int height, int width) {
    const WinogradSteps *s = steps(isa, height, width);
    return split_floats(s, inputs, height, width) + (size_t)s->points * inputs * tile_stride(s, height, width)
         + (size_t)s->points * blocks(outputs) * BLOCK * tile_stride(s, height, width);
}

// The lanes of `rows` transformed rows from the last tile to the next whole ROUND are read by the
// GEMMs: zero (their results are never stored). Planes of 8, 16, 32 or 64 pixels have none.
static void zero_tail(const WinogradSteps *s, float *v, int rows, size_t pitch, int height, int width) {
    const size_t count = fw_winograd_tiles(s->tile, height, width), tail = tile_vectors(s, height, width) - count;
    if (tail == 0) return;
    for (int row = 0; row < rows; row++) memset(v + (size_t)row * pitch + count, 0, tail * sizeof(float));
}

// Bᵀ d B of the image already split into `p`, into v.
static void transform_split(const WinogradSteps *s, const float *p, int inputs, int height, int width, float *v, size_t pitch) {
    s->transform_input(p, inputs, height, width, v, pitch);
    zero_tail(s, v, s->points * inputs, pitch, height, width);
}

// The convolution, its input's transform written to `v` (rows `pitch` apart), the output
// normalised by `affine` when given.
static void convolve(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                     const float *bias, const float *affine, int relu, float *scratch, float *v, size_t pitch, float *y) {
    const WinogradSteps *s = steps(isa, height, width);
    float *p = scratch, *m = p + split_floats(s, inputs, height, width) + (size_t)s->points * inputs * tile_stride(s, height, width);
    s->split(x, inputs, height, width, p);
    transform_split(s, p, inputs, height, width, v, pitch);
    s->multiply(s->points, v, pitch, inputs, packed, outputs, tile_vectors(s, height, width), m, tile_stride(s, height, width));
    s->transform_output(m, outputs, height, width, bias, affine, relu, y);
}

void fw_winograd_conv3x3_keeping(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                                 const float *bias, int relu, float *scratch, float *v, size_t pitch, float *y) {
    convolve(isa, x, inputs, height, width, packed, outputs, bias, NULL, relu, scratch, v, pitch, y);
}

void fw_winograd_conv3x3_normalized(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                                    const float *bias, const float *affine, int relu, float *scratch, float *y) {
    const WinogradSteps *s = steps(isa, height, width);
    float *v = scratch + split_floats(s, inputs, height, width);
    convolve(isa, x, inputs, height, width, packed, outputs, bias, affine, relu, scratch, v, tile_stride(s, height, width), y);
}

void fw_winograd_conv3x3(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                         const float *bias, int relu, float *scratch, float *y) {
    fw_winograd_conv3x3_normalized(isa, x, inputs, height, width, packed, outputs, bias, NULL, relu, scratch, y);
}

size_t fw_winograd_slot_count(int isa, int height, int width) { return tile_vectors(steps(isa, height, width), height, width); }

size_t fw_winograd_pitch(int isa, int slots, int height, int width) {
    return (size_t)slots * fw_winograd_slot_count(isa, height, width) + ROUND;
}

void fw_winograd_transform_image(int isa, const float *x, int inputs, int height, int width, float *scratch, float *v, size_t pitch) {
    const WinogradSteps *s = steps(isa, height, width);
    s->split(x, inputs, height, width, scratch);
    transform_split(s, scratch, inputs, height, width, v, pitch);
}

void fw_winograd_transform_gradient(int isa, const float *g, int outputs, int height, int width, float *gt, size_t pitch) {
    const WinogradSteps *s = steps(isa, height, width);
    s->transform_gradient(g, outputs, height, width, gt, pitch);
    zero_tail(s, gt, s->points * outputs, pitch, height, width);
}

// dg = Gᵀ dU G for one pair of channels, dU its 16 points, added to dg (3 × 3).
static void add_kernel_gradient2(const float du[POINTS], float *dg) {
    float r[3][4];
    for (int j = 0; j < 4; j++) {
        r[0][j] = du[j] + 0.5f * (du[4 + j] + du[8 + j]);
        r[1][j] = 0.5f * (du[4 + j] - du[8 + j]);
        r[2][j] = 0.5f * (du[4 + j] + du[8 + j]) + du[12 + j];
    }
    for (int u = 0; u < 3; u++) {
        dg[3 * u] += r[u][0] + 0.5f * (r[u][1] + r[u][2]);
        dg[3 * u + 1] += 0.5f * (r[u][1] - r[u][2]);
        dg[3 * u + 2] += 0.5f * (r[u][1] + r[u][2]) + r[u][3];
    }
}

// dg = Gᵀ dU G with F(4×4, 3×3)'s G, dU its 36 points.
static void add_kernel_gradient4(const float du[POINTS], float *dg) {
    float r[3][6];
    for (int a = 0; a < 3; a++)
        for (int j = 0; j < 6; j++) {
            float sum = 0;
            for (int i = 0; i < 6; i++) sum += G4[i][a] * du[6 * i + j];
            r[a][j] = sum;
        }
    for (int a = 0; a < 3; a++)
        for (int b = 0; b < 3; b++) {
            float sum = 0;
            for (int j = 0; j < 6; j++) sum += r[a][j] * G4[j][b];
            dg[3 * a + b] += sum;
        }
}

size_t fw_winograd_weight_gradient_scratch_count(int isa, int inputs, int outputs, int height, int width) {
    return 2 * (size_t)fw_winograd_points(isa, height, width) * fw_winograd_round4(outputs) * fw_winograd_round4(inputs);
}

// dU by the instruction set's GEMMs, then dw += Gᵀ dU G for every pair of channels.
void fw_winograd_weight_gradient(int isa, const float *gt, const float *v, int inputs, int outputs, int height, int width, size_t length,
                                 size_t pitch, float *scratch, float *dw) {
    const WinogradSteps *s = steps(isa, height, width);
    const int k4 = fw_winograd_round4(outputs), c4 = fw_winograd_round4(inputs);
    float *accumulators = scratch, *du = scratch + (size_t)s->points * k4 * c4;   // du[ξ][k][c], k and c rounded up to 4
    s->products(s->points, gt, v, inputs, outputs, length, pitch, accumulators, du);
    for (int k = 0; k < outputs; k++)
        for (int c = 0; c < inputs; c++) {
            float points[POINTS];
            for (int xi = 0; xi < s->points; xi++) points[xi] = du[((size_t)xi * k4 + k) * c4 + c];
            if (s->tile == 4) add_kernel_gradient4(points, dw + ((size_t)k * inputs + c) * 9);
            else add_kernel_gradient2(points, dw + ((size_t)k * inputs + c) * 9);
        }
}
