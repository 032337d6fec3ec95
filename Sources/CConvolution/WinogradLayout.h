// The layout Winograd's transforms share across instruction sets, and the steps each instruction
// set implements (WinogradAVX512.c, WinogradAVX2.c; Winograd.c strings them together).
#ifndef FLYWHEEL_WINOGRAD_LAYOUT_H
#define FLYWHEEL_WINOGRAD_LAYOUT_H
#include <stddef.h>

// XI: the 4 × 4 points of the transform; BLOCK: output channels packed together; ROUND: tiles are
// counted in whole multiples of ROUND (one AVX-512 vector, two AVX2 vectors), whichever
// instruction set runs, so both read the same layout.
enum { XI = 16, BLOCK = 8, ROUND = 16 };

static inline int fw_winograd_blocks(int outputs) { return (outputs + BLOCK - 1) / BLOCK; }
static inline size_t fw_winograd_tiles(int height, int width) { return (size_t)(height / 2) * (width / 2); }
// Tiles rounded up to whole vectors: the GEMM reads whole vectors.
static inline size_t fw_winograd_tile_vectors(int height, int width) { return (fw_winograd_tiles(height, width) + ROUND - 1) / ROUND * ROUND; }
// The distance between rows of transformed data: one vector more than they hold, so that the
// sixteen rows a transform reads or writes at once do not fall in the same cache set (a power
// of two apart, they would).
static inline size_t fw_winograd_tile_stride(int height, int width) { return fw_winograd_tile_vectors(height, width) + ROUND; }
static inline int fw_winograd_round4(int n) { return (n + 3) / 4 * 4; }

/// One instruction set's steps. Transformed data is laid out v[(ξ · channels + c) · pitch + t],
/// t = tile row · (width / 2) + tile column; lanes from the last tile to the next whole ROUND may
/// hold anything after a transform (the caller zeroes them).
typedef struct {
    /// fw_pad_split for this instruction set.
    void (*split)(const float *x, int channels, int height, int width, float *p);
    /// V = Bᵀ d B of the split image `p`.
    void (*transform_input)(const float *p, int channels, int height, int width, float *v, size_t pitch);
    /// m[ξ][k][t] = Σ_c U[ξ][k][c] · v[ξ][c][t] for `lanes` lanes (a multiple of ROUND); m's rows
    /// per block of BLOCK output channels, `m_stride` floats apart.
    void (*multiply)(const float *v, size_t stride, int inputs, const float *packed, int outputs, size_t lanes, float *m, size_t m_stride);
    /// Y = Aᵀ m A per tile, plus bias, then with `affine` (NULL: none) each channel k's batch
    /// norm, affine[4k + 3] + affine[4k + 2] · ((Y − affine[4k]) · affine[4k + 1]), then rectified
    /// when relu (m's rows fw_winograd_tile_stride apart).
    void (*transform_output)(const float *m, int outputs, int height, int width, const float *bias, const float *affine, int relu, float *y);
    /// A dY Aᵀ of the output gradient `g`, laid out as V.
    void (*transform_gradient)(const float *g, int outputs, int height, int width, float *gt, size_t pitch);
    /// du[ξ][k][c] = Σ_t gt[ξ][k][t] · v[ξ][c][t] over `length` lanes (k and c rounded up to 4 in
    /// du's layout); `accumulators` holds XI · round4(outputs) · round4(inputs) floats.
    void (*products)(const float *gt, const float *v, int inputs, int outputs, size_t length, size_t pitch, float *accumulators, float *du);
} WinogradSteps;

extern const WinogradSteps fw_winograd_avx512, fw_winograd_avx2;
#endif
