#ifndef FLYWHEEL_POOLED_BACKWARD_H
#define FLYWHEEL_POOLED_BACKWARD_H
#include <stddef.h>

// The backward pass of z = relu(maxpool2×2(conv3×3(x) + b)) (stride 1, padding 1) from the pooled
// gradient alone. The convolution's output gradient is nonzero only at the arg-max of each 2 × 2
// window whose pooled output passed the ReLU — at most a quarter of the plane — so rather than
// unpooling it and convolving the whole plane twice (input and weight gradient), each such
// window's gradient is multiplied into the weight gradient's nine taps and scattered onto the nine
// input pixels it reached: a quarter of the multiply-adds or fewer. The input is turned into
// padded pixels with contiguous channels, sixteen channels a vector. AVX-512F only; the sums run
// in another order than the dense kernels', so the bits differ from theirs (not the values,
// beyond rounding).

/// Floats of the packed weights: (outputs, 9, inputs rounded up to 16).
size_t fw_pooled_backward_packed_count(int inputs, int outputs);

/// Floats of scratch one call of fw_pooled_backward needs.
size_t fw_pooled_backward_scratch_count(int inputs, int outputs, int height, int width);

/// w (outputs, inputs, 3, 3) into `packed` (fw_pooled_backward_packed_count floats), zeros past
/// the last input channel.
void fw_pooled_backward_pack(const float *w, int inputs, int outputs, float *packed);

/// Adds `dw_packed` (laid out as the packed weights) to dw (outputs, inputs, 3, 3), then zeros it.
void fw_pooled_backward_unpack_add(float *dw_packed, int inputs, int outputs, float *dw);

/// One image: x (inputs, height, width), the pooled output y, its gradient dy and arg-max idx
/// (outputs, height/2, width/2, as fw_max_pool2x2 writes them). Adds the weight gradient to
/// `dw_packed` (zero it first; fw_pooled_backward_unpack_add), each output channel's sum of the
/// gradients that passed the ReLU to db[o] (summed in sixteen lanes, then across) and, when dx is
/// not NULL, writes the input gradient to dx (inputs, height, width). Needs AVX-512F.
void fw_pooled_backward(const float *x, int inputs, int height, int width, const float *dy, const float *y, const int *idx,
                        int outputs, const float *packed, float *scratch, float *dw_packed, float *db, float *dx);
#endif
