// Every second pixel of every second row, and back (see EverySecondPixel.h).
#include "EverySecondPixel.h"
#include <string.h>

#pragma STDC FP_CONTRACT OFF

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

CLONES
void fw_take_every_second(const float *x, int channels, int height, int width, float *out, size_t out_stride) {
    const int rows = (height + 1) / 2, columns = (width + 1) / 2;
    for (int c = 0; c < channels; c++)
        for (int i = 0; i < rows; i++) {
            const float *restrict from = x + ((size_t)c * height + 2 * i) * width;
            float *restrict to = out + c * out_stride + (size_t)i * columns;
            for (int j = 0; j < columns; j++) to[j] = from[2 * j];
        }
}

CLONES
void fw_put_every_second(float *dx, int channels, int height, int width, const float *columns_matrix, size_t columns_stride) {
    const int rows = (height + 1) / 2, columns = (width + 1) / 2;
    memset(dx, 0, (size_t)channels * height * width * sizeof(float));
    for (int c = 0; c < channels; c++)
        for (int i = 0; i < rows; i++) {
            const float *restrict from = columns_matrix + c * columns_stride + (size_t)i * columns;
            float *restrict to = dx + ((size_t)c * height + 2 * i) * width;
            for (int j = 0; j < columns; j++) to[2 * j] = 0.0f + from[j];
        }
}
