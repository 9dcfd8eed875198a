#ifndef KEEL_CKEELZLIB_SHIM_H
#define KEEL_CKEELZLIB_SHIM_H
#include <zlib.h>
#endif
