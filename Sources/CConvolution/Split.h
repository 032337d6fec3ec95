// The padded image split into even and odd columns, shared by the Winograd F(2×2, 3×3) and stride-2
// kernels, or into six column phases by tile rows for Winograd F(4×4, 3×3).
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

/// Floats of one channel as fw_pad_split_tiles4 lays it out: six phases × four row classes × (height/4
/// + 1) rows × width/4.
static inline size_t fw_split_tiles4_plane(int height, int width) { return (size_t)6 * (height + 4) * (width / 4); }

/// `x` (channels, height, width; both multiples of 4) padded as fw_pad_split pads it, laid out for
/// 4 × 4 output tiles, whose 6 × 6 windows start at padded row and column multiples of 4: window
/// column j (0…5) of the tiles of padded row R is phase j, phase j holding padded column 4m + j at
/// m (m = 0 … width/4 − 1, one a tile); padded row R lies at p[((j · 4 + R % 4) · (height/4 + 1) +
/// R / 4) · (width/4) + m]. So the same window row and column of consecutive tiles — along a tile
/// row, then on into the next tile row — are contiguous, and one load reads sixteen tiles' value
/// however many tile rows they span. Then FW_SPLIT_SLACK zeros. Needs AVX-512F.
void fw_pad_split_tiles4(const float *x, int channels, int height, int width, float *p);
#endif
