#ifndef FLYWHEEL_POINTWISE_H
#define FLYWHEEL_POINTWISE_H
#include <stddef.h>

// Element-by-element passes of a training step, plain loops compiled for AVX-512, AVX2 and the
// baseline and chosen at run time (function multiversioning), with no fused multiply-adds: each
// element is computed by the same operations in the same order in every version (and as Swift's
// scalar loops did), so all give the same bits.

/// dx[i] = dy[i] where y[i] > 0, else 0 (NaN gives 0): the gradient through a ReLU whose output is y
/// (dx may be dy or y, the same array; never a partial overlap).
void fw_relu_backward(float *dx, const float *dy, const float *y, size_t count);

/// One SGD step on `count` parameters w with gradients dw and velocity v (unused when
/// `momentum` is 0), weight decay added to the gradient:
///   momentum 0:  w −= lr · (dw + decay · w)
///   heavy ball:  v = momentum · v + dw + decay · w;  w −= lr · v
///   Nesterov:    g = dw + decay · w;  v = momentum · v + g;  w −= lr · (g + momentum · v)
void fw_sgd_step(float *w, const float *dw, float *v, size_t count, float lr, float momentum, float decay, int nesterov);
#endif
