#ifndef KEEL_DNNL_H
#define KEEL_DNNL_H

// Keel's door to oneDNN (Debian's libdnnl 2.6), the convolution library PyTorch and TensorFlow use
// on CPUs, whose sgemm also beats OpenBLAS's on the skinny products of small models. A plan is one convolution direction for one geometry: oneDNN's primitive, chosen once,
// with the weight reorders its preferred layout needs. Tensors stay as Keel keeps them: NHWC
// activations, HWIO (kh, kw, in, out) kernels. Every call returns 0 on success; on failure it
// returns oneDNN's status and fills `error`.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct keel_conv_plan keel_conv_plan;

typedef enum {
    /// output = conv(first: x, second: kernel)
    KEEL_CONV_FORWARD = 0,
    /// output = dx, from first: dy and second: kernel
    KEEL_CONV_BACKWARD_DATA = 1,
    /// output = dkernel, from first: x and second: dy
    KEEL_CONV_BACKWARD_WEIGHTS = 2,
} keel_conv_direction;

typedef struct {
    int64_t batch, height, width, in_channels;
    int64_t kernel_height, kernel_width, out_channels;
    int64_t stride_y, stride_x, dilation_y, dilation_x;
    int64_t pad_top, pad_left;
    int64_t out_height, out_width;
} keel_conv_shape;

/// Creates the plan, or returns NULL with the reason in `error`.
keel_conv_plan *keel_conv_plan_create(const keel_conv_shape *shape, keel_conv_direction direction,
                                      char *error, size_t capacity);

/// Runs the plan (see keel_conv_direction for what `first` and `second` are). The calling
/// thread waits for the result.
int keel_conv_plan_run(keel_conv_plan *plan, const float *first, const float *second, float *output,
                       char *error, size_t capacity);

/// oneDNN's name for the implementation it chose (e.g. "brgconv:avx512_core").
const char *keel_conv_plan_implementation(const keel_conv_plan *plan);

void keel_conv_plan_destroy(keel_conv_plan *plan);

/// C = alpha·op(A)·op(B) + beta·C, row-major, on oneDNN's sgemm (transa/transb: 'N' or 'T'); C is
/// not read when beta is 0. Returns nonzero, leaving C alone, when libdnnl cannot be loaded.
int keel_dnnl_sgemm(char transa, char transb, int64_t m, int64_t n, int64_t k, float alpha, const float *a,
                    int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc);

#ifdef __cplusplus
}
#endif

#endif
