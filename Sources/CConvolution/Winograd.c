// Winograd F(2×2, 3×3) convolution (see Winograd.h): the weights' transform, the buffers' layout,
// and each pass strung together from one instruction set's steps (WinogradLayout.h).
#include "Winograd.h"
#include "WinogradLayout.h"
#include "Split.h"
#include <string.h>

static size_t tile_vectors(int height, int width) { return fw_winograd_tile_vectors(height, width); }
static size_t tile_stride(int height, int width) { return fw_winograd_tile_stride(height, width); }
static int blocks(int outputs) { return fw_winograd_blocks(outputs); }

static const WinogradSteps *steps(int isa) { return isa == 2 ? &fw_winograd_avx512 : &fw_winograd_avx2; }

size_t fw_winograd_packed_count(int inputs, int outputs) { return (size_t)XI * blocks(outputs) * inputs * BLOCK; }

// U = G g Gᵀ for BLOCK kernels at once (lane = output channel), g[tap][lane] row-major taps,
// G = [[1,0,0],[½,½,½],[½,−½,½],[0,0,1]]; u[ξ][lane].
static void transform_kernels(const float g[9][BLOCK], float u[XI][BLOCK]) {
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

// packed[ξ][block][c][lane] = U(block·8 + lane, c)[ξ] (0 past the last output channel); eight
// output channels are transformed together, so each point's eight values are stored at once.
void fw_winograd_pack(const float *w, int inputs, int outputs, int adjoint, float *packed) {
    const int to = adjoint ? inputs : outputs, from = adjoint ? outputs : inputs, nb = blocks(to);
    for (int block = 0; block < nb; block++)
        for (int c = 0; c < from; c++) {
            float g[9][BLOCK], u[XI][BLOCK];
            for (int l = 0; l < BLOCK; l++) {
                const int o = block * BLOCK + l;
                for (int t = 0; t < 9; t++)
                    g[t][l] = o >= to ? 0 : adjoint ? w[((size_t)c * inputs + o) * 9 + (8 - t)] : w[((size_t)o * inputs + c) * 9 + t];
            }
            transform_kernels(g, u);
            for (int xi = 0; xi < XI; xi++) memcpy(packed + (((size_t)xi * nb + block) * from + c) * BLOCK, u[xi], sizeof u[xi]);
        }
}

size_t fw_winograd_scratch_count(int inputs, int outputs, int height, int width) {
    return (size_t)inputs * fw_split_plane(height, width) + FW_SPLIT_SLACK + (size_t)XI * inputs * tile_stride(height, width)
         + (size_t)XI * blocks(outputs) * BLOCK * tile_stride(height, width);
}

// The lanes of `rows` transformed rows from the last tile to the next whole ROUND are read by the
// GEMMs: zero (their results are never stored). Planes of 8, 16, 32 or 64 pixels have none.
static void zero_tail(float *v, int rows, size_t pitch, int height, int width) {
    const size_t count = fw_winograd_tiles(height, width), tail = tile_vectors(height, width) - count;
    if (tail == 0) return;
    for (int row = 0; row < rows; row++) memset(v + (size_t)row * pitch + count, 0, tail * sizeof(float));
}

// Bᵀ d B of the image already split into `p`, into v.
static void transform_split(const WinogradSteps *s, const float *p, int inputs, int height, int width, float *v, size_t pitch) {
    s->transform_input(p, inputs, height, width, v, pitch);
    zero_tail(v, XI * inputs, pitch, height, width);
}

// The convolution, its input's transform written to `v` (rows `pitch` apart), the output
// normalised by `affine` when given.
static void convolve(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                     const float *bias, const float *affine, int relu, float *scratch, float *v, size_t pitch, float *y) {
    const WinogradSteps *s = steps(isa);
    float *p = scratch, *m = p + (size_t)inputs * fw_split_plane(height, width) + FW_SPLIT_SLACK + (size_t)XI * inputs * tile_stride(height, width);
    s->split(x, inputs, height, width, p);
    transform_split(s, p, inputs, height, width, v, pitch);
    s->multiply(v, pitch, inputs, packed, outputs, tile_vectors(height, width), m, tile_stride(height, width));
    s->transform_output(m, outputs, height, width, bias, affine, relu, y);
}

void fw_winograd_conv3x3_keeping(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                                 const float *bias, int relu, float *scratch, float *v, size_t pitch, float *y) {
    convolve(isa, x, inputs, height, width, packed, outputs, bias, NULL, relu, scratch, v, pitch, y);
}

void fw_winograd_conv3x3_normalized(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                                    const float *bias, const float *affine, int relu, float *scratch, float *y) {
    float *v = scratch + (size_t)inputs * fw_split_plane(height, width) + FW_SPLIT_SLACK;
    convolve(isa, x, inputs, height, width, packed, outputs, bias, affine, relu, scratch, v, tile_stride(height, width), y);
}

void fw_winograd_conv3x3(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                         const float *bias, int relu, float *scratch, float *y) {
    fw_winograd_conv3x3_normalized(isa, x, inputs, height, width, packed, outputs, bias, NULL, relu, scratch, y);
}

size_t fw_winograd_slot_count(int height, int width) { return tile_vectors(height, width); }

size_t fw_winograd_pitch(int slots, int height, int width) { return (size_t)slots * tile_vectors(height, width) + ROUND; }

void fw_winograd_transform_image(int isa, const float *x, int inputs, int height, int width, float *scratch, float *v, size_t pitch) {
    const WinogradSteps *s = steps(isa);
    s->split(x, inputs, height, width, scratch);
    transform_split(s, scratch, inputs, height, width, v, pitch);
}

void fw_winograd_transform_gradient(int isa, const float *g, int outputs, int height, int width, float *gt, size_t pitch) {
    steps(isa)->transform_gradient(g, outputs, height, width, gt, pitch);
    zero_tail(gt, XI * outputs, pitch, height, width);
}

// dg = Gᵀ dU G for one pair of channels, dU its 16 points, added to dg (3 × 3).
static void add_kernel_gradient(const float du[XI], float *dg) {
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

size_t fw_winograd_weight_gradient_scratch_count(int inputs, int outputs) {
    return 2 * (size_t)XI * fw_winograd_round4(outputs) * fw_winograd_round4(inputs);
}

// dU by the instruction set's GEMMs, then dw += Gᵀ dU G for every pair of channels.
void fw_winograd_weight_gradient(int isa, const float *gt, const float *v, int inputs, int outputs, size_t length, size_t pitch,
                                 float *scratch, float *dw) {
    const int k4 = fw_winograd_round4(outputs), c4 = fw_winograd_round4(inputs);
    float *accumulators = scratch, *du = scratch + (size_t)XI * k4 * c4;   // du[ξ][k][c], k and c rounded up to 4
    steps(isa)->products(gt, v, inputs, outputs, length, pitch, accumulators, du);
    for (int k = 0; k < outputs; k++)
        for (int c = 0; c < inputs; c++) {
            float points[XI];
            for (int xi = 0; xi < XI; xi++) points[xi] = du[((size_t)xi * k4 + k) * c4 + c];
            add_kernel_gradient(points, dw + ((size_t)k * inputs + c) * 9);
        }
}
