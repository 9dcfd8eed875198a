#ifndef KEEL_CBLAS_SHIM_H
#define KEEL_CBLAS_SHIM_H
// Debian's OpenBLAS (pthread flavour); its cblas.h also declares openblas_get_corename().
#include <cblas.h>
#endif
