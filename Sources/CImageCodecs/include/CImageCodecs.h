#ifndef FLYWHEEL_CIMAGECODECS_H
#define FLYWHEEL_CIMAGECODECS_H
#include <stddef.h>

/// A decoded 8-bit image: `pixels` holds height × width × channels bytes, row-major, to be
/// released with fw_image_free. On failure `pixels` is NULL and `error` says why.
typedef struct {
    unsigned char *pixels;
    int width, height, channels;
    char error[256];
} fw_image;

/// Decodes a JPEG (libjpeg-turbo) held in memory; grayscale stays 1 channel, colour becomes RGB.
fw_image fw_decode_jpeg(const unsigned char *data, size_t length);
/// Decodes a PNG (libpng's simplified API) held in memory, to 1 channel (gray) or 3 (RGB);
/// 16-bit files are scaled to 8 bits linearly.
fw_image fw_decode_png(const unsigned char *data, size_t length);
/// Decodes the TIFF file at `path` (libtiff: any bit depth, photometric and compression it
/// knows), to 1 channel (gray) or 3 (RGB); 16-bit samples are scaled to 8 bits linearly.
fw_image fw_decode_tiff_file(const char *path);
/// Encodes pixels as PNG into a malloc'ed buffer (*out, *out_length); returns 0 on success.
int fw_encode_png(const unsigned char *pixels, int width, int height, int channels, unsigned char **out, size_t *out_length);
/// Encodes pixels as a JPEG of `quality` into a malloc'ed buffer; returns 0 on success.
int fw_encode_jpeg(const unsigned char *pixels, int width, int height, int channels, int quality, unsigned char **out, unsigned long *out_length);
void fw_image_free(void *pointer);
#endif
