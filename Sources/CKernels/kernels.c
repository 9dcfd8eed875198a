#include "keel_kernels.h"
#include <math.h>

#if defined(__x86_64__) && defined(__clang__)
#define KEEL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define KEEL_CLONES
#endif

KEEL_CLONES
void keel_adam_step(float *restrict w, float *restrict m, float *restrict v, const float *restrict g, long count,
                    float alpha, float one_minus_beta1, float one_minus_beta2, float epsilon) {
    for (long i = 0; i < count; i++) {
        float mi = m[i] + (g[i] - m[i]) * one_minus_beta1;
        float vi = v[i] + (g[i] * g[i] - v[i]) * one_minus_beta2;
        m[i] = mi;
        v[i] = vi;
        w[i] -= mi * alpha / (sqrtf(vi) + epsilon);
    }
}

KEEL_CLONES
void keel_sqrt(const float *restrict x, float *restrict out, long count) {
    for (long i = 0; i < count; i++) out[i] = sqrtf(x[i]);
}

KEEL_CLONES
void keel_rsqrt(const float *restrict x, float *restrict out, long count) {
    for (long i = 0; i < count; i++) out[i] = 1.0f / sqrtf(x[i]);
}

KEEL_CLONES
float keel_dot(const float *restrict a, const float *restrict b, long count) {
#pragma clang fp reassociate(on)
    float total = 0;
    for (long i = 0; i < count; i++) total += a[i] * b[i];
    return total;
}

KEEL_CLONES
void keel_axpy(float alpha, const float *restrict x, float *restrict y, long count) {
    for (long i = 0; i < count; i++) y[i] += alpha * x[i];
}
