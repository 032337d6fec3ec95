// The layout Winograd's transforms share across instruction sets and tile sizes, and the steps each
// implements (WinogradAVX512.c and WinogradAVX2.c: F(2×2, 3×3); Winograd4AVX512.c: F(4×4, 3×3);
// Winograd.c strings them together).
#ifndef FLYWHEEL_WINOGRAD_LAYOUT_H
#define FLYWHEEL_WINOGRAD_LAYOUT_H
#include <stddef.h>

// POINTS: the most points a transform has (F(4×4, 3×3)'s 6 × 6); BLOCK: output channels packed
// together; ROUND: tiles are counted in whole multiples of ROUND (one AVX-512 vector, two AVX2
// vectors), whichever instruction set runs, so both read the same layout.
enum { POINTS = 36, BLOCK = 8, ROUND = 16 };

static inline int fw_winograd_blocks(int outputs) { return (outputs + BLOCK - 1) / BLOCK; }
/// Output tiles of `tile` × `tile` pixels on a height × width plane.
static inline size_t fw_winograd_tiles(int tile, int height, int width) { return (size_t)(height / tile) * (width / tile); }
// Tiles rounded up to whole vectors: the GEMM reads whole vectors.
static inline size_t fw_winograd_tile_vectors(int tile, int height, int width) {
    return (fw_winograd_tiles(tile, height, width) + ROUND - 1) / ROUND * ROUND;
}
// The distance between rows of transformed data: one vector more than they hold, so that the
// rows a transform reads or writes at once do not fall in the same cache set (a power of two
// apart, they would).
static inline size_t fw_winograd_tile_stride(int tile, int height, int width) { return fw_winograd_tile_vectors(tile, height, width) + ROUND; }
static inline int fw_winograd_round4(int n) { return (n + 3) / 4 * 4; }
// Tile rows one AVX-512 vector holds: several when a tile row has fewer than sixteen tiles and
// divides them (2, 4 or 8 tiles), else one (its last vector masked).
static inline int fw_winograd_rows_per_vector16(int across) { return across < 16 && 16 % across == 0 ? 16 / across : 1; }

/// One instruction set's steps for one tile size. Transformed data is laid out
/// v[(ξ · channels + c) · pitch + t], t = tile row · (width / tile) + tile column, ξ one of the
/// `points` = (tile + 2)² points; lanes from the last tile to the next whole ROUND may hold
/// anything after a transform (the caller zeroes them).
typedef struct {
    /// The side of an output tile (2 or 4) and the points of its transform ((tile + 2)²).
    int tile, points;
    /// Floats of one channel of the split image.
    size_t (*split_plane)(int height, int width);
    /// The image padded and split into column phases (Split.h) for transform_input.
    void (*split)(const float *x, int channels, int height, int width, float *p);
    /// V = Bᵀ d B of the split image `p`.
    void (*transform_input)(const float *p, int channels, int height, int width, float *v, size_t pitch);
    /// m[ξ][k][t] = Σ_c U[ξ][k][c] · v[ξ][c][t] for `points` points and `lanes` lanes (a multiple
    /// of ROUND); m's rows per block of BLOCK output channels, `m_stride` floats apart.
    void (*multiply)(int points, const float *v, size_t stride, int inputs, const float *packed, int outputs, size_t lanes, float *m,
                     size_t m_stride);
    /// Y = Aᵀ m A per tile, plus bias, then with `affine` (NULL: none) each channel k's batch
    /// norm, affine[4k + 3] + affine[4k + 2] · ((Y − affine[4k]) · affine[4k + 1]), then rectified
    /// when relu (m's rows fw_winograd_tile_stride apart).
    void (*transform_output)(const float *m, int outputs, int height, int width, const float *bias, const float *affine, int relu, float *y);
    /// A dY Aᵀ of the output gradient `g`, laid out as V.
    void (*transform_gradient)(const float *g, int outputs, int height, int width, float *gt, size_t pitch);
    /// du[ξ][k][c] = Σ_t gt[ξ][k][t] · v[ξ][c][t] for `points` points over `length` lanes (k and c
    /// rounded up to 4 in du's layout); `accumulators` holds points · round4(outputs) · round4(inputs) floats.
    void (*products)(int points, const float *gt, const float *v, int inputs, int outputs, size_t length, size_t pitch,
                     float *accumulators, float *du);
} WinogradSteps;

extern const WinogradSteps fw_winograd_avx512, fw_winograd_avx2, fw_winograd4_avx512;

/// The AVX-512 GEMMs every tile size shares (WinogradAVX512.c).
void fw_winograd_multiply_avx512(int points, const float *v, size_t stride, int inputs, const float *packed, int outputs, size_t lanes,
                                 float *m, size_t m_stride);
void fw_winograd_products_avx512(int points, const float *gt, const float *v, int inputs, int outputs, size_t length, size_t pitch,
                                 float *accumulators, float *du);
#endif
