#ifndef FLYWHEEL_WINOGRAD_H
#define FLYWHEEL_WINOGRAD_H
#include <stddef.h>

/// Winograd convolution (Lavin and Gray 2016), 3×3, stride 1, zero padding 1, on one NCHW image of
/// even height and width (at least 8 wide), on AVX-512 (`isa` 2) or AVX2 + FMA (`isa` 1), at most
/// what fw_conv3x3_best_isa() returns:
///   y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A   for every m × m output tile, d its (m + 2)² input patch,
/// summed over input channels as one GEMM per point of the transform, each vectorised across
/// tiles. F(4×4, 3×3) (36 points per 16 outputs: 4× fewer multiplies than the direct kernel's 9
/// per output) on AVX-512 where fw_winograd4_covers the plane, else F(2×2, 3×3) (16 per 4: 2.25×
/// fewer). The transforms scale and add, so the rounding differs from the direct kernel's in the
/// last places, F(4×4)'s by more (its points ±2 scale values by up to 8). Both instruction sets
/// read and write the same F(2×2) layout; their sums run in different orders, so their results
/// differ in the last places too. Every function takes the plane's height and width, which fix
/// the tile.

/// The side of the output tile that runs on `isa` for a height × width plane: 4 or 2.
int fw_winograd_tile_size(int isa, int height, int width);

/// Whether F(4×4, 3×3) covers a plane: height and width multiples of 4, at least 16, and tile rows
/// that fill whole vectors of sixteen tiles.
int fw_winograd4_covers(int height, int width);

/// Points of the transform that runs (16 or 36): the rows of transformed data per channel.
int fw_winograd_points(int isa, int height, int width);

/// Floats of the packed, transformed weights of `outputs` × `inputs` 3×3 kernels.
size_t fw_winograd_packed_count(int isa, int inputs, int outputs, int height, int width);

/// Transforms and packs `w` (outputs, inputs, 3, 3); with `adjoint`, as fw_conv3x3_pack does, the
/// kernel that maps an output gradient to the input gradient.
void fw_winograd_pack(int isa, const float *w, int inputs, int outputs, int adjoint, int height, int width, float *packed);

/// Floats of scratch fw_winograd_conv3x3 needs: the padded image, its transform and the products.
size_t fw_winograd_scratch_count(int isa, int inputs, int outputs, int height, int width);

/// The convolution of `x` (inputs, height, width) into `y` (outputs, height, width), optional
/// `bias` (NULL: none) added and, with `relu`, rectified. Height and width must be even.
void fw_winograd_conv3x3(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                         const float *bias, int relu, float *scratch, float *y);

/// fw_winograd_conv3x3, then each output channel k normalised as a batch norm infers (before the
/// ReLU): affine[4k + 3] + affine[4k + 2] · ((y − affine[4k]) · affine[4k + 1]) — its running mean,
/// inverse standard deviation, scale and shift — computed operation for operation as
/// fw_bn_apply computes it, so the result is the same to the bit, in one pass fewer.
void fw_winograd_conv3x3_normalized(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                                    const float *bias, const float *affine, int relu, float *scratch, float *y);

/// fw_winograd_conv3x3, keeping the input's transform in `v` (an image's slot, rows `pitch`
/// floats apart, as fw_winograd_transform_image writes it) for the weight gradient.
void fw_winograd_conv3x3_keeping(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                                 const float *bias, int relu, float *scratch, float *v, size_t pitch, float *y);

/// The weight gradient by the same transform (the adjoint of y in U = G g Gᵀ):
///   dg = Gᵀ [ Σ_tiles (A dY Aᵀ) ⊙ (Bᵀ d B) ] G   for every pair of output and input channels,
/// the sum over tiles running over every image a worker holds, so each of the GEMMs (one a point) reduces
/// over many tiles at once. Each image is transformed into slot i of two buffers laid out
/// [ξ][channel][slot · slot_count + tile], rows fw_winograd_pitch floats apart:

/// Floats of one image's slot in a row of transformed data (its tiles, rounded up to whole vectors).
size_t fw_winograd_slot_count(int isa, int height, int width);

/// Floats between rows of transformed data holding `slots` images: their slots and one vector
/// more (rows a power of two apart would share cache sets).
size_t fw_winograd_pitch(int isa, int slots, int height, int width);

/// Bᵀ d B of image `x` (inputs, height, width) into `v` (its slot's first lane, rows `pitch`
/// floats apart); `scratch` holds fw_winograd_scratch_count(isa, inputs, 1, height, width) floats.
void fw_winograd_transform_image(int isa, const float *x, int inputs, int height, int width, float *scratch, float *v, size_t pitch);

/// A dY Aᵀ of the output gradient `g` (outputs, height, width) into `gt`, laid out as `v`.
void fw_winograd_transform_gradient(int isa, const float *g, int outputs, int height, int width, float *gt, size_t pitch);

/// Floats of scratch fw_winograd_weight_gradient needs.
size_t fw_winograd_weight_gradient_scratch_count(int isa, int inputs, int outputs, int height, int width);

/// Adds to `dw` (outputs, inputs, 3, 3) the weight gradient of every image in the buffers:
/// `length` lanes per row (slots · slot_count), rows `pitch` floats apart.
void fw_winograd_weight_gradient(int isa, const float *gt, const float *v, int inputs, int outputs, int height, int width, size_t length,
                                 size_t pitch, float *scratch, float *dw);
#endif
