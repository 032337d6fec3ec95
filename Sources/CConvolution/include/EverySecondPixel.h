#ifndef FLYWHEEL_EVERY_SECOND_PIXEL_H
#define FLYWHEEL_EVERY_SECOND_PIXEL_H
#include <stddef.h>

// The column matrix of a 1 × 1 convolution of stride 2 (no padding) and its adjoint: every second
// pixel of every second row, the image's pixels (2i, 2j). Plain loops compiled for AVX-512, AVX2
// and the baseline and chosen at run time (function multiversioning), where im2col's and col2im's
// general loops ran one float at a time; the same values to the bit (copies, and 0 + v).

/// out[c · out_stride + i · ⌈width/2⌉ + j] = x[c][2i][2j] for the `channels` planes of x
/// (channels, height, width), i < ⌈height/2⌉, j < ⌈width/2⌉.
void fw_take_every_second(const float *x, int channels, int height, int width, float *out, size_t out_stride);

/// The adjoint: dx (channels, height, width) = 0 everywhere but at (2i, 2j), where it is
/// 0 + columns[c · columns_stride + i · ⌈width/2⌉ + j] (the sum col2im computes).
void fw_put_every_second(float *dx, int channels, int height, int width, const float *columns, size_t columns_stride);
#endif
