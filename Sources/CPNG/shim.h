#ifndef KEEL_CPNG_SHIM_H
#define KEEL_CPNG_SHIM_H
#include <png.h>

// Keel uses libpng's simplified API only: it reports errors through return codes and the
// image's message buffer instead of longjmp, which Swift cannot survive.
static inline png_uint_32 keel_png_image_version(void) { return PNG_IMAGE_VERSION; }
static inline size_t keel_png_image_size(const png_image *image) { return PNG_IMAGE_SIZE(*image); }
static inline png_uint_32 keel_png_format_gray(void)   { return PNG_FORMAT_GRAY; }
static inline png_uint_32 keel_png_format_rgb(void)    { return PNG_FORMAT_RGB; }
static inline png_uint_32 keel_png_format_rgba(void)   { return PNG_FORMAT_RGBA; }
static inline png_uint_32 keel_png_format_flag_linear(void) { return PNG_FORMAT_FLAG_LINEAR; }
static inline png_uint_32 keel_png_format_flag_color(void)  { return PNG_FORMAT_FLAG_COLOR; }
static inline png_uint_32 keel_png_format_flag_alpha(void)  { return PNG_FORMAT_FLAG_ALPHA; }
static inline png_uint_32 keel_png_image_failed(const png_image *image) { return PNG_IMAGE_FAILED(*image); }
// An upper bound on the encoded size, so png_image_write_to_memory can run once.
static inline size_t keel_png_image_png_size_max(const png_image *image) { return PNG_IMAGE_PNG_SIZE_MAX(*image); }

#endif
