#ifndef KEEL_CTURBOJPEG_SHIM_H
#define KEEL_CTURBOJPEG_SHIM_H
#include <turbojpeg.h>

// Keel uses TurboJPEG's handle API only: libjpeg's own error handling longjmps, which Swift
// cannot survive, while TurboJPEG catches it inside C and returns -1 with a message.
static inline int keel_tj_pixel_format_gray(void) { return TJPF_GRAY; }
static inline int keel_tj_pixel_format_rgb(void)  { return TJPF_RGB; }
static inline int keel_tj_subsampling_gray(void) { return TJSAMP_GRAY; }
static inline int keel_tj_colorspace_cmyk(void)   { return TJCS_CMYK; }
static inline int keel_tj_colorspace_ycck(void)   { return TJCS_YCCK; }
// Warnings (such as a file cut off before its end-of-image marker) become errors: a truncated
// JPEG must not decode into silently grey rows, and TensorFlow refuses it too. The fast integer
// IDCT is TensorFlow's default (`dct_method=""`), so pixels equal what Keras loads.
static inline int keel_tj_flags_tensorflow(void)  { return TJFLAG_STOPONWARNING | TJFLAG_FASTDCT; }

#endif
