#ifndef FLYWHEEL_CCONVOLUTION_H
#define FLYWHEEL_CCONVOLUTION_H
#include <stddef.h>
#include "Winograd.h"
#include "MaxPool.h"
#include "BatchNorm.h"
#include "Pointwise.h"
#include "PooledBackward.h"
#include "Stride2InputGradient.h"
#include "EverySecondPixel.h"

/// Direct 3×3 convolution, stride 1, zero padding 1, on one NCHW image:
///   y[o][i][j] = bias[o] + Σ_{c,u,v} w[o][c][u][v] · x[c][i+u−1][j+v−1]   (then max(·, 0) when relu)
/// vectorised along the image row (16 lanes on AVX-512, two rows of up to 8 pixels per vector
/// on narrow images; 8 lanes on AVX2), eight output channels at a time, each output accumulated
/// in the order c, u, v with fused multiply-adds — so both instruction sets give bit-identical
/// results. The image is first copied into scratch with a zero border, so no load needs a bound.

/// The widest instruction set this CPU runs the kernel with: 2 = AVX-512F, 1 = AVX2 + FMA, 0 = none.
int fw_conv3x3_best_isa(void);

/// Whether the CPU is Intel's (CPUID vendor GenuineIntel).
int fw_cpu_is_intel(void);

/// Floats of the packed weights of `outputs` × `inputs` 3×3 kernels.
size_t fw_conv3x3_packed_count(int inputs, int outputs);

/// Packs `w` (outputs, inputs, 3, 3) for the kernel. With `adjoint` set, `w` is read as the
/// kernel of the forward convolution whose input gradient is wanted: the packed kernel maps
/// `outputs` channels to `inputs` channels with every tap turned 180°, so the forward kernel
/// applied to an output gradient yields the input gradient (stride 1, padding 1).
void fw_conv3x3_pack(const float *w, int inputs, int outputs, int adjoint, float *packed);

/// Floats of scratch the kernel needs for an image of `channels` × `height` × `width`.
size_t fw_conv3x3_scratch_count(int channels, int height, int width);

/// Floats of scratch the weight gradients (fw_conv3x3_weight_gradient and its stride-2 form) need
/// for an image of `inputs` × `height` × `width` and `outputs` output channels.
size_t fw_conv3x3_weight_gradient_scratch_count(int inputs, int outputs, int height, int width);

/// The convolution of one image `x` (inputs, height, width) into `y` (outputs, height, width),
/// with packed weights (fw_conv3x3_pack), optional `bias` (NULL: none), on instruction set `isa`
/// (1 or 2, at most fw_conv3x3_best_isa()). `scratch` holds fw_conv3x3_scratch_count floats.
void fw_conv3x3(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                const float *bias, int relu, float *scratch, float *y);
/// Adds the weight gradient of one image to `dw` (outputs, inputs, 3, 3):
///   dw[o][c][u][v] += Σ_{i,j} g[o][i][j] · x[c][i+u−1][j+v−1]
/// for `x` (inputs, height, width) and the output gradient `g` (outputs, height, width), on
/// instruction set `isa` (as fw_conv3x3). On AVX-512 each lane of a vector is one of sixteen
/// output channels, whose gradients are first transposed to pixel-major order, and the sums over
/// the image run pixel by pixel (32 output channels × one input channel × nine taps, or sixteen ×
/// up to three × nine: at most 27 accumulators); on AVX2 the sums run along the row in 8 lanes
/// (one output channel × nine taps), then the lanes are added — so the two differ in the last places.
/// `scratch` holds fw_conv3x3_weight_gradient_scratch_count(inputs, outputs, height, width) floats.
void fw_conv3x3_weight_gradient(int isa, const float *x, int inputs, int height, int width, const float *g, int outputs,
                                float *scratch, float *dw);

/// Stride 2, zero padding 1, on instruction set `isa` (as fw_conv3x3): y (outputs, height/2,
/// width/2) from x (inputs, height, width), both even; the same packed weights, vectorised along
/// the output row (on AVX-512 two rows per vector up to 8 pixels), each output accumulated in the
/// order c, u, v. `scratch` holds fw_conv3x3_scratch_count(inputs, height, width) floats.
void fw_conv3x3_stride2(int isa, const float *x, int inputs, int height, int width, const float *packed, int outputs,
                        const float *bias, int relu, float *scratch, float *y);

/// Adds the stride-2 convolution's weight gradient of one image to `dw`, `g` its output gradient
/// (outputs, height/2, width/2), on instruction set `isa`; `scratch` as fw_conv3x3_weight_gradient's.
void fw_conv3x3_stride2_weight_gradient(int isa, const float *x, int inputs, int height, int width, const float *g, int outputs,
                                        float *scratch, float *dw);
#endif
