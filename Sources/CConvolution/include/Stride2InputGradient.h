#ifndef FLYWHEEL_STRIDE2_INPUT_GRADIENT_H
#define FLYWHEEL_STRIDE2_INPUT_GRADIENT_H
#include <stddef.h>

// The input gradient of a 3×3 convolution of stride 2 and zero padding 1, in four phases. Input
// pixel (2m + a, 2n + b) is reached by the taps whose row is 1 when a = 0 (from output row m) and
// 0 or 2 when a = 1 (from output rows m + 1 and m), and likewise for columns: so each phase (a, b)
// is a small convolution of the output gradient (1, 2, 2 and 4 taps: nine in all, the forward
// pass's multiply-adds, none wasted on zeros), where sgemm + col2im multiply the same and then
// scatter every column back. The four phases share four loads of the output gradient (shifted by
// (0, 0), (0, 1), (1, 0), (1, 1)) and are interleaved into the input's rows as they are stored.
// AVX-512F only; output rows of a multiple of 8 pixels.

/// Floats of the weights packed for fw_conv3x3_stride2_input_gradient.
size_t fw_conv3x3_stride2_input_gradient_packed_count(int inputs, int outputs);

/// `w` (outputs, inputs, 3, 3), the forward convolution's kernel, packed as
/// [inputs / 4][outputs][tap][4] (zeros past the last input channel).
void fw_conv3x3_stride2_input_gradient_pack(const float *w, int inputs, int outputs, float *packed);

/// Whether fw_conv3x3_stride2_input_gradient covers an input of `height` × `width`: both even,
/// output rows (width / 2) a multiple of 8 pixels.
int fw_conv3x3_stride2_input_gradient_covers(int height, int width);

/// dx (inputs, height, width) of one image from the output gradient g (outputs, height/2,
/// width/2) and the packed weights: dx[c][y][x] = Σ_o Σ_{u,v} w[o][c][u][v] · g[o][i][j] over
/// y = 2i + u − 1, x = 2j + v − 1, each pixel summed in the order o, then its phase's taps. Needs
/// AVX-512F and fw_conv3x3_stride2_input_gradient_covers(height, width).
void fw_conv3x3_stride2_input_gradient(const float *g, int outputs, int height, int width, const float *packed, int inputs, float *dx);
#endif
