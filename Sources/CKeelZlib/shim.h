#ifndef KEEL_CKEELZLIB_SHIM_H
#define KEEL_CKEELZLIB_SHIM_H
#include <zlib.h>

// deflateInit2/inflateInit2 are function-like macros (they pass ZLIB_VERSION and
// sizeof(z_stream) for zlib's ABI check), which Swift cannot import.
static inline int keel_deflate_init2(z_streamp stream, int level, int window_bits, int mem_level) {
    return deflateInit2(stream, level, Z_DEFLATED, window_bits, mem_level, Z_DEFAULT_STRATEGY);
}
static inline int keel_inflate_init2(z_streamp stream, int window_bits) {
    return inflateInit2(stream, window_bits);
}
#endif
