#ifndef KEEL_KERNELS_H
#define KEEL_KERNELS_H

/* Elementwise kernels that Swift cannot vectorise: Swift's Float.squareRoot() compiles to a call
 * to libm's sqrtf (which must set errno), one element at a time. These C loops are built with
 * -fno-math-errno and cloned for AVX-512, AVX2 and baseline x86-64, picked at load time. */

/* One Adam step: m += (g - m)(1 - β1); v += (g² - v)(1 - β2); w -= α·m / (√v + ε). */
void keel_adam_step(float *w, float *m, float *v, const float *g, long count,
                    float alpha, float one_minus_beta1, float one_minus_beta2, float epsilon);

/* out[i] = √x[i] */
void keel_sqrt(const float *x, float *out, long count);

/* out[i] = 1/√x[i] */
void keel_rsqrt(const float *x, float *out, long count);

/* Σ a[i]·b[i] (summed in any order, so it vectorises). */
float keel_dot(const float *a, const float *b, long count);

/* y[i] += alpha·x[i] */
void keel_axpy(float alpha, const float *x, float *y, long count);

#endif
