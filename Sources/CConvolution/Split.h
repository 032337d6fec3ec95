// The padded image split into even and odd columns, shared by the Winograd and stride-2 kernels.
#ifndef FLYWHEEL_SPLIT_H
#define FLYWHEEL_SPLIT_H
#include <stddef.h>

/// Zero floats after the split image, read by the lanes of a row's last vector.
enum { FW_SPLIT_SLACK = 64 };

/// Floats of one channel: (height + 2) rows of width + 2.
static inline size_t fw_split_plane(int height, int width) { return (size_t)(height + 2) * (width + 2); }

/// `x` (channels, height, width; width even) with a border of one zero on every side, each padded
/// row split into its even columns, then its odd ones (width/2 + 1 each): padded column 2m is
/// even[m], 2m + 1 is odd[m]. A window starting at padded column 2j reads even[j], odd[j],
/// even[j + 1], … — contiguous across j. Then FW_SPLIT_SLACK zeros. Needs AVX-512F.
void fw_pad_split(const float *x, int channels, int height, int width, float *p);

/// fw_pad_split on AVX2.
void fw_pad_split_avx2(const float *x, int channels, int height, int width, float *p);
#endif
