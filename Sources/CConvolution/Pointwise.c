// Element-by-element passes of a training step (see Pointwise.h).
#include "Pointwise.h"

// No fused multiply-adds, so the versions round alike (and as Swift's loops, which never fuse).
#pragma STDC FP_CONTRACT OFF

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

// Element i is read from dy and y before it is written to dx, so dx may be dy or y itself: the
// loop is vectorised without the overlap check that sent such in-place calls (ResidualBlock's)
// to the scalar loop.
CLONES
void fw_relu_backward(float *dx, const float *dy, const float *y, size_t count) {
#pragma clang loop vectorize(assume_safety)
    for (size_t i = 0; i < count; i++) dx[i] = y[i] > 0 ? dy[i] : 0;
}

CLONES
void fw_sgd_step(float *restrict w, const float *restrict dw, float *restrict v, size_t count, float lr, float momentum, float decay,
                 int nesterov) {
    if (momentum == 0) {
        for (size_t i = 0; i < count; i++) w[i] -= lr * (dw[i] + decay * w[i]);
    } else if (nesterov) {
        for (size_t i = 0; i < count; i++) {
            const float g = dw[i] + decay * w[i], vi = momentum * v[i] + g;
            v[i] = vi;
            w[i] -= lr * (g + momentum * vi);
        }
    } else {
        for (size_t i = 0; i < count; i++) {
            const float vi = momentum * v[i] + dw[i] + decay * w[i];
            v[i] = vi;
            w[i] -= lr * vi;
        }
    }
}
