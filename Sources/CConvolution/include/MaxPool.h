#ifndef FLYWHEEL_MAX_POOL_H
#define FLYWHEEL_MAX_POOL_H
#include <stddef.h>

/// 2 × 2, stride-2 max pooling of one plane `x` (height × width) into `y` (height/2 × width/2,
/// rounded down): each window's maximum, the first of equal values in the order top left, top
/// right, bottom left, bottom right winning (a NaN never replaces the best so far), and in `idx`
/// its flat index in x. On instruction set `isa` as fw_conv3x3_best_isa counts (2: AVX-512,
/// sixteen windows a step, then AVX2 for a remaining eight; 1: AVX2, eight; 0: one at a time);
/// all give the same results.
void fw_max_pool2x2(int isa, const float *x, int height, int width, float *y, int *idx);

/// The gradient of relu(fw_max_pool2x2(x)) with respect to x, one plane: `dz` (height × width)
/// holds each window's gradient `dy` at its arg-max `idx` where the pooled output `y` is
/// positive, zeros elsewhere. Returns the sum of the gradients that passed the ReLU (the bias
/// gradient's share of the plane). On AVX-512 (`isa` 2) sixteen windows a step, each float of
/// dz written once, the sum in sixteen lanes; else zeros, then one window at a time, the sum in
/// order.
float fw_unpool2x2_relu(int isa, const float *dy, const float *y, const int *idx, int height, int width, float *dz);
#endif
