#ifndef KEEL_CCSV_SHIM_H
#define KEEL_CCSV_SHIM_H
#include <stddef.h>
#include <csv.h>
#endif
