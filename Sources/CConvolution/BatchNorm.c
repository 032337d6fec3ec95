// Batch normalisation's per-channel passes (see BatchNorm.h).
#include "BatchNorm.h"

// No fused multiply-adds, so the versions round alike.
#pragma STDC FP_CONTRACT OFF

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
// Sixteen float lanes: one AVX-512 register, two AVX2 or four SSE registers, by the clone.
typedef float lanes16 __attribute__((vector_size(64), aligned(4)));
typedef int mask16 __attribute__((vector_size(64), aligned(4)));
enum { LANES = 16 };

// The sixteen floats at p (any alignment).
#define load16(p) (*(const lanes16 *)(p))

// Lanes 0 … 15 added in order.
static inline float lane_total(const lanes16 *lanes) {
    float total = 0;
    for (int k = 0; k < LANES; k++) total += (*lanes)[k];
    return total;
}

CLONES
static float plane_sum(const float *x, int count) {
    lanes16 lanes = {0};
    int i = 0;
    for (; i + LANES <= count; i += LANES) lanes += load16(x + i);
    float total = lane_total(&lanes);
    for (; i < count; i++) total += x[i];
    return total;
}

CLONES
static float plane_squared_deviations(const float *x, int count, float mean) {
    lanes16 lanes = {0};
    int i = 0;
    for (; i + LANES <= count; i += LANES) { const lanes16 d = load16(x + i) - mean; lanes += d * d; }
    float total = lane_total(&lanes);
    for (; i < count; i++) { const float d = x[i] - mean; total += d * d; }
    return total;
}

void fw_bn_moments(const float *x, int images, size_t stride, int area, float *mean, float *variance) {
    double total = 0, squares = 0;
    for (int s = 0; s < images; s++) total += plane_sum(x + s * stride, area);
    const float m = (float)(total / ((double)images * area));
    for (int s = 0; s < images; s++) squares += plane_squared_deviations(x + s * stride, area, m);
    *mean = m;
    *variance = (float)(squares / ((double)images * area));
}

CLONES
static void plane_apply(const float *restrict x, float *restrict y, int count, float mean, float inverse_std, float scale,
                        float shift, int relu) {
    if (relu) {
        for (int i = 0; i < count; i++) { const float v = scale * ((x[i] - mean) * inverse_std) + shift; y[i] = v > 0 ? v : 0; }
    } else {
        for (int i = 0; i < count; i++) y[i] = scale * ((x[i] - mean) * inverse_std) + shift;
    }
}

void fw_bn_apply(const float *x, float *y, int images, size_t stride, int area,
                 float mean, float inverse_std, float scale, float shift, int relu) {
    for (int s = 0; s < images; s++) plane_apply(x + s * stride, y + s * stride, area, mean, inverse_std, scale, shift, relu);
}

CLONES
static void plane_apply_add_relu(const float *restrict x, const float *restrict side, float *restrict y, int count, float mean,
                                 float inverse_std, float scale, float shift) {
    for (int i = 0; i < count; i++) {
        const float v = scale * ((x[i] - mean) * inverse_std) + shift, sum = v + side[i];
        y[i] = sum > 0 ? sum : 0;
    }
}

void fw_bn_apply_add_relu(const float *x, const float *side, float *y, int images, size_t stride, int area,
                          float mean, float inverse_std, float scale, float shift) {
    for (int s = 0; s < images; s++)
        plane_apply_add_relu(x + s * stride, side + s * stride, y + s * stride, area, mean, inverse_std, scale, shift);
}

// Σ g and Σ g · x̂ of one plane, g = dy masked by y > 0 where `masked`.
static inline __attribute__((always_inline))
void gradient_sums(const float *dy, const float *y, const float *x, int count, float mean, float inverse_std, int masked,
                   float *sum, float *dot) {
    lanes16 sums = {0}, dots = {0};
    const lanes16 zero = {0};
    int i = 0;
    for (; i + LANES <= count; i += LANES) {
        lanes16 g = load16(dy + i);
        if (masked) g = (lanes16)((mask16)g & (load16(y + i) > zero));   // all ones where y > 0
        sums += g;
        dots += g * ((load16(x + i) - mean) * inverse_std);
    }
    float total = lane_total(&sums), products = lane_total(&dots);
    for (; i < count; i++) {
        const float g = masked && !(y[i] > 0) ? 0 : dy[i];
        total += g;
        products += g * ((x[i] - mean) * inverse_std);
    }
    *sum += total;
    *dot += products;
}

CLONES
static void plane_gradient_sums(const float *dy, const float *y, const float *x, int count, float mean, float inverse_std,
                                float *sum, float *dot) {
    if (y) gradient_sums(dy, y, x, count, mean, inverse_std, 1, sum, dot);
    else gradient_sums(dy, y, x, count, mean, inverse_std, 0, sum, dot);
}

void fw_bn_gradient_sums(const float *dy, const float *y, const float *x, int images, size_t stride, int area,
                         float mean, float inverse_std, float *sum_dy, float *sum_dy_xhat) {
    float sum = 0, dot = 0;
    for (int s = 0; s < images; s++)
        plane_gradient_sums(dy + s * stride, y ? y + s * stride : NULL, x + s * stride, area, mean, inverse_std, &sum, &dot);
    *sum_dy = sum;
    *sum_dy_xhat = dot;
}

// dx of one plane (see fw_bn_input_gradient), g = dy masked by y > 0 where `masked`.
static inline __attribute__((always_inline))
void input_gradient(float *restrict dx, const float *restrict dy, const float *restrict y, const float *restrict x, int count,
                    float mean, float inverse_std, float k, float mean_dy, float mean_dy_xhat, int masked, int normalized) {
    for (int i = 0; i < count; i++) {
        const float g = masked && !(y[i] > 0) ? 0 : dy[i];
        dx[i] = normalized ? k * (g - mean_dy - (x[i] - mean) * inverse_std * mean_dy_xhat) : k * g;
    }
}

CLONES
static void plane_input_gradient(float *dx, const float *dy, const float *y, const float *x, int count, float mean, float inverse_std,
                                 float k, float mean_dy, float mean_dy_xhat, int normalized) {
    if (y && normalized) input_gradient(dx, dy, y, x, count, mean, inverse_std, k, mean_dy, mean_dy_xhat, 1, 1);
    else if (normalized) input_gradient(dx, dy, y, x, count, mean, inverse_std, k, mean_dy, mean_dy_xhat, 0, 1);
    else if (y) input_gradient(dx, dy, y, x, count, mean, inverse_std, k, mean_dy, mean_dy_xhat, 1, 0);
    else input_gradient(dx, dy, y, x, count, mean, inverse_std, k, mean_dy, mean_dy_xhat, 0, 0);
}

void fw_bn_input_gradient(float *dx, const float *dy, const float *y, const float *x, int images, size_t stride, int area,
                          float mean, float inverse_std, float k, float mean_dy, float mean_dy_xhat, int normalized) {
    for (int s = 0; s < images; s++)
        plane_input_gradient(dx + s * stride, dy + s * stride, y ? y + s * stride : NULL, x + s * stride, area,
                             mean, inverse_std, k, mean_dy, mean_dy_xhat, normalized);
}
