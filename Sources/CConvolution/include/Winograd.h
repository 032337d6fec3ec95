#ifndef FLYWHEEL_WINOGRAD_H
#define FLYWHEEL_WINOGRAD_H
#include <stddef.h>

/// Winograd F(2×2, 3×3) convolution (Lavin and Gray 2016), 3×3, stride 1, zero padding 1, on one
/// NCHW image of even height and width (at least 8 wide), on AVX-512 (`isa` 2) or AVX2 + FMA (`isa` 1), at most
/// what fw_conv3x3_best_isa() returns:
///   y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A   for every 2 × 2 output tile, d its 4 × 4 input patch,
/// summed over input channels as sixteen GEMMs (one per point of the 4 × 4 transform), each
/// vectorised across tiles. 16 multiplies per output pair of channels and tile instead of 36:
/// 2.25× fewer. The transforms add and subtract only, so the rounding differs from the direct
/// kernel's by a few units in the last place. Both instruction sets read and write the same
/// layout; their sums run in different orders, so their results differ in the last places too.

/// Floats of the packed, transformed weights of `outputs` × `inputs` 3×3 kernels.
size_t fw_winograd_packed_count(int inputs, int outputs);

/// Transforms and packs `w` (outputs, inputs, 3, 3); with `adjoint`, as fw_conv3x3_pack does, the
/// kernel that maps an output gradient to the input gradient.
void fw_winograd_pack(const float *w, int inputs, int outputs, int adjoint, float *packed);

/// Floats of scratch fw_winograd_conv3x3 needs: the padded image, its transform and the products.
size_t fw_winograd_scratch_count(int inputs, int outputs, int height, int width);

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
/// the sum over tiles running over every image a worker holds, so each of the 16 GEMMs reduces
/// over many tiles at once. Each image is transformed into slot i of two buffers laid out
/// [ξ][channel][slot · slot_count + tile], rows fw_winograd_pitch floats apart:

/// Floats of one image's slot in a row of transformed data (its tiles, rounded up to whole vectors).
size_t fw_winograd_slot_count(int height, int width);

/// Floats between rows of transformed data holding `slots` images: their slots and one vector
/// more (rows a power of two apart would share cache sets).
size_t fw_winograd_pitch(int slots, int height, int width);

/// Bᵀ d B of image `x` (inputs, height, width) into `v` (its slot's first lane, rows `pitch`
/// floats apart); `scratch` holds fw_winograd_scratch_count(inputs, 1, height, width) floats.
void fw_winograd_transform_image(int isa, const float *x, int inputs, int height, int width, float *scratch, float *v, size_t pitch);

/// A dY Aᵀ of the output gradient `g` (outputs, height, width) into `gt`, laid out as `v`.
void fw_winograd_transform_gradient(int isa, const float *g, int outputs, int height, int width, float *gt, size_t pitch);

/// Floats of scratch fw_winograd_weight_gradient needs.
size_t fw_winograd_weight_gradient_scratch_count(int inputs, int outputs);

/// Adds to `dw` (outputs, inputs, 3, 3) the weight gradient of every image in the buffers:
/// `length` lanes per row (slots · slot_count), rows `pitch` floats apart.
void fw_winograd_weight_gradient(int isa, const float *gt, const float *v, int inputs, int outputs, size_t length, size_t pitch,
                                 float *scratch, float *dw);
#endif
