// The padded image split into even and odd columns, shared by the Winograd F(2×2, 3×3) and stride-2
// kernels, or into four column phases for Winograd F(4×4, 3×3).
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

/// Floats of one channel split into four column phases: (height + 2) rows of 4 · (width/4 + 1).
static inline size_t fw_split4_plane(int height, int width) { return (size_t)(height + 2) * (width + 4); }

/// `x` (channels, height, width; width a multiple of 4) padded as fw_pad_split pads it, each
/// padded row split into four phases of width/4 + 1 floats: padded column 4m + q is phase q's
/// m-th (phases 2 and 3 end with a zero no column maps to). A window starting at padded column
/// 4j reads phase 0, 1, 2, 3 at j, then phase 0 and 1 at j + 1 — each contiguous across j. Then
/// FW_SPLIT_SLACK zeros. Needs AVX-512F.
void fw_pad_split4(const float *x, int channels, int height, int width, float *p);
#endif
