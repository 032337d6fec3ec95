// PNG, JPEG and TIFF through Debian's libpng, libjpeg-turbo and libtiff. libjpeg reports errors by longjmp,
// which Swift cannot express, so decoding lives here in C.
#include "CImageCodecs.h"
#include <png.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>
#include <tiffio.h>

struct fw_jpeg_error { struct jpeg_error_mgr base; jmp_buf jump; char message[JMSG_LENGTH_MAX]; };

static void fw_jpeg_error_exit(j_common_ptr info) {
    struct fw_jpeg_error *error = (struct fw_jpeg_error *)info->err;
    (*info->err->format_message)(info, error->message);
    longjmp(error->jump, 1);
}

static void fw_jpeg_silence(j_common_ptr info, int level) { (void)info; (void)level; }

fw_image fw_decode_jpeg(const unsigned char *data, size_t length) {
    fw_image image = {0};
    struct jpeg_decompress_struct info;
    struct fw_jpeg_error error;
    unsigned char *volatile pixels = NULL;
    info.err = jpeg_std_error(&error.base);
    error.base.error_exit = fw_jpeg_error_exit;
    error.base.emit_message = fw_jpeg_silence;
    if (setjmp(error.jump)) {
        snprintf(image.error, sizeof image.error, "JPEG: %s", error.message);
        jpeg_destroy_decompress(&info);
        free(pixels);
        image.pixels = NULL;
        return image;
    }
    jpeg_create_decompress(&info);
    jpeg_mem_src(&info, data, (unsigned long)length);
    jpeg_read_header(&info, TRUE);
    info.out_color_space = info.num_components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);
    int stride = info.output_width * info.output_components;
    pixels = malloc((size_t)stride * info.output_height);
    while (info.output_scanline < info.output_height) {
        unsigned char *row = pixels + (size_t)info.output_scanline * stride;
        jpeg_read_scanlines(&info, &row, 1);
    }
    jpeg_finish_decompress(&info);
    image.pixels = pixels;
    image.width = info.output_width;
    image.height = info.output_height;
    image.channels = info.output_components;
    jpeg_destroy_decompress(&info);
    return image;
}

fw_image fw_decode_png(const unsigned char *data, size_t length) {
    fw_image image = {0};
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&png, data, length)) {
        snprintf(image.error, sizeof image.error, "PNG: %s", png.message);
        return image;
    }
    int gray = (png.format & PNG_FORMAT_FLAG_COLOR) == 0;
    // A 16-bit file is read as it is stored and scaled to 8 bits linearly (v / 257): libpng's
    // own 16-to-8 conversion would apply the sRGB curve and brighten every mid-tone.
    int sixteen = (png.format & PNG_FORMAT_FLAG_LINEAR) != 0;
    png.format = sixteen ? (gray ? PNG_FORMAT_LINEAR_Y : PNG_FORMAT_LINEAR_RGB) : (gray ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB);
    size_t size = PNG_IMAGE_SIZE(png), count = (size_t)png.width * png.height * (gray ? 1 : 3);
    void *buffer = malloc(size);
    if (!png_image_finish_read(&png, NULL, buffer, 0, NULL)) {
        snprintf(image.error, sizeof image.error, "PNG: %s", png.message);
        free(buffer);
        png_image_free(&png);
        return image;
    }
    unsigned char *pixels = buffer;
    if (sixteen) {
        const unsigned short *wide = buffer;
        pixels = malloc(count);
        for (size_t i = 0; i < count; i++) pixels[i] = (unsigned char)((wide[i] + 128) / 257);
        free(buffer);
    }
    image.pixels = pixels;
    image.width = png.width;
    image.height = png.height;
    image.channels = gray ? 1 : 3;
    return image;
}

int fw_encode_png(const unsigned char *pixels, int width, int height, int channels, unsigned char **out, size_t *out_length) {
    png_image png;
    memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = width;
    png.height = height;
    png.format = channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
    size_t size = 0;
    if (!png_image_write_to_memory(&png, NULL, &size, 0, pixels, 0, NULL)) return 1;
    *out = malloc(size);
    if (!png_image_write_to_memory(&png, *out, &size, 0, pixels, 0, NULL)) { free(*out); return 1; }
    *out_length = size;
    return 0;
}

int fw_encode_jpeg(const unsigned char *pixels, int width, int height, int channels, int quality, unsigned char **out, unsigned long *out_length) {
    struct jpeg_compress_struct info;
    struct fw_jpeg_error error;
    info.err = jpeg_std_error(&error.base);
    error.base.error_exit = fw_jpeg_error_exit;
    *out = NULL;
    *out_length = 0;
    if (setjmp(error.jump)) { jpeg_destroy_compress(&info); return 1; }
    jpeg_create_compress(&info);
    jpeg_mem_dest(&info, out, out_length);
    info.image_width = width;
    info.image_height = height;
    info.input_components = channels;
    info.in_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, quality, TRUE);
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        unsigned char *row = (unsigned char *)pixels + (size_t)info.next_scanline * width * channels;
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    return 0;
}

/// libtiff reports errors to a process-wide handler; each decoding thread keeps its own last message.
static _Thread_local char fw_tiff_message[200];

static void fw_tiff_error(const char *module, const char *format, va_list arguments) {
    (void)module;
    vsnprintf(fw_tiff_message, sizeof fw_tiff_message, format, arguments);
}

static void fw_tiff_silence(const char *module, const char *format, va_list arguments) {
    (void)module; (void)format; (void)arguments;
}

fw_image fw_decode_tiff_file(const char *path) {
    fw_image image = {0};
    TIFFSetErrorHandler(fw_tiff_error);
    TIFFSetWarningHandler(fw_tiff_silence);
    fw_tiff_message[0] = 0;
    TIFF *tiff = TIFFOpen(path, "r");
    if (!tiff) {
        snprintf(image.error, sizeof image.error, "TIFF: %s", fw_tiff_message[0] ? fw_tiff_message : "cannot open");
        return image;
    }
    uint32_t width = 0, height = 0;
    uint16_t photometric = PHOTOMETRIC_RGB, samples = 1;
    TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
    TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
    TIFFGetFieldDefaulted(tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
    TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric);
    int gray = samples <= 2 && (photometric == PHOTOMETRIC_MINISBLACK || photometric == PHOTOMETRIC_MINISWHITE);
    size_t count = (size_t)width * height;
    uint32_t *raster = width && height ? _TIFFmalloc(count * sizeof(uint32_t)) : NULL;
    // TIFFReadRGBAImageOriented handles every bit depth, photometric and compression libtiff
    // knows; 16-bit samples come back scaled to 8 bits linearly.
    if (!raster || !TIFFReadRGBAImageOriented(tiff, width, height, raster, ORIENTATION_TOPLEFT, 0)) {
        snprintf(image.error, sizeof image.error, "TIFF: %s", fw_tiff_message[0] ? fw_tiff_message : "cannot decode");
        if (raster) _TIFFfree(raster);
        TIFFClose(tiff);
        return image;
    }
    int channels = gray ? 1 : 3;
    unsigned char *pixels = malloc(count * channels);
    for (size_t i = 0; i < count; i++) {
        uint32_t p = raster[i];
        if (gray) { pixels[i] = (unsigned char)TIFFGetR(p); continue; }
        pixels[3 * i] = (unsigned char)TIFFGetR(p);
        pixels[3 * i + 1] = (unsigned char)TIFFGetG(p);
        pixels[3 * i + 2] = (unsigned char)TIFFGetB(p);
    }
    _TIFFfree(raster);
    TIFFClose(tiff);
    image.pixels = pixels;
    image.width = (int)width;
    image.height = (int)height;
    image.channels = channels;
    return image;
}

void fw_image_free(void *pointer) { free(pointer); }
