#ifndef FLYWHEEL_WINOGRAD_H
#define FLYWHEEL_WINOGRAD_H
#include <stddef.h>

/// Winograd F(2×2, 3×3) convolution (Lavin and Gray 2016), 3×3, stride 1, zero padding 1, on one
/// NCHW image of even height and width, on AVX-512 (the caller checks fw_conv3x3_best_isa() is 2):
///   y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A   for every 2 × 2 output tile, d its 4 × 4 input patch,
/// summed over input channels as sixteen GEMMs (one per point of the 4 × 4 transform), each
/// vectorised across tiles. 16 multiplies per output pair of channels and tile instead of 36:
/// 2.25× fewer. The transforms add and subtract only, so the rounding differs from the direct
/// kernel's by a few units in the last place.

/// Floats of the packed, transformed weights of `outputs` × `inputs` 3×3 kernels.
size_t fw_winograd_packed_count(int inputs, int outputs);

/// Transforms and packs `w` (outputs, inputs, 3, 3); with `adjoint`, as fw_conv3x3_pack does, the
/// kernel that maps an output gradient to the input gradient.
void fw_winograd_pack(const float *w, int inputs, int outputs, int adjoint, float *packed);

/// Floats of scratch fw_winograd_conv3x3 needs: the padded image, its transform and the products.
size_t fw_winograd_scratch_count(int inputs, int outputs, int height, int width);

/// The convolution of `x` (inputs, height, width) into `y` (outputs, height, width), optional
/// `bias` (NULL: none) added and, with `relu`, rectified. Height and width must be even.
void fw_winograd_conv3x3(const float *x, int inputs, int height, int width, const float *packed, int outputs,
                         const float *bias, int relu, float *scratch, float *y);
#endif
