#ifndef FLYWHEEL_BATCH_NORM_H
#define FLYWHEEL_BATCH_NORM_H
#include <stddef.h>

// Batch normalisation's per-channel passes over one channel of an NCHW batch: `images` planes of
// `area` floats, `stride` floats apart. Plain loops in sixteen float lanes, compiled for AVX-512,
// AVX2 and the baseline and chosen at run time (function multiversioning); every version sums in
// the same order (lane k takes elements k, k + 16, …; lanes added 0 … 15; the tail in order;
// images added in Double), so all give the same results. Where `y` is given, the gradient `dy`
// is masked by y > 0 (the fused ReLU's output).

/// The channel's mean and biased variance (two passes).
void fw_bn_moments(const float *x, int images, size_t stride, int area, float *mean, float *variance);

/// y = scale · ((x − mean) · inverse_std) + shift, then max(·, 0) when `relu` (NaN gives 0).
void fw_bn_apply(const float *x, float *y, int images, size_t stride, int area,
                 float mean, float inverse_std, float scale, float shift, int relu);

/// y = max(scale · ((x − mean) · inverse_std) + shift + side, 0) (NaN gives 0): the batch norm, a
/// residual sum and its ReLU in one pass; the normalised value is rounded as fw_bn_apply rounds it
/// before `side` is added.
void fw_bn_apply_add_relu(const float *x, const float *side, float *y, int images, size_t stride, int area,
                          float mean, float inverse_std, float scale, float shift);

/// Σ g and Σ g · x̂ over the channel, g the (masked) gradient, x̂ = (x − mean) · inverse_std.
void fw_bn_gradient_sums(const float *dy, const float *y, const float *x, int images, size_t stride, int area,
                         float mean, float inverse_std, float *sum_dy, float *sum_dy_xhat);

/// With `normalized`: dx = k · (g − mean_dy − x̂ · mean_dy_xhat) (training); else dx = k · g.
void fw_bn_input_gradient(float *dx, const float *dy, const float *y, const float *x, int images, size_t stride, int area,
                          float mean, float inverse_std, float k, float mean_dy, float mean_dy_xhat, int normalized);
#endif
