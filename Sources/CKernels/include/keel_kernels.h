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

/* y[i] += alpha·x[i] */
void keel_axpy(float alpha, const float *x, float *y, long count);

/* A max-pooling window geometry over NHWC images (no dilation). */
typedef struct {
    long height, width, channels, out_height, out_width;
    long pool_height, pool_width, stride_y, stride_x, pad_top, pad_left;
} keel_pool_geometry;

/* For output pixels first..<end (counted over the whole batch): y = the window's maximum per
 * channel, argmax = its flat input index (the first on ties; a NaN never replaces and stays once
 * it starts); a window wholly in the padding gives -inf and -1. */
void keel_max_pool(const keel_pool_geometry *g, const float *x, long first, long end, float *y, int *argmax);

/* Philox4x32-10 (Salmon et al. 2011), a counter-based generator: block c of the stream with key k
 * is philox(k, c), four 32-bit words. Word i of a request that starts at block `block` is lane i%4
 * of block block + i/4. Sixteen blocks are made at once, lane-parallel, so the rounds vectorise. */

/* out[i] = word i */
void keel_philox_words(unsigned long long key, unsigned long long block, long count, unsigned int *out);

/* out[i] = low + u·width, u = (word i >> 8)·2⁻²⁴ in [0, 1) */
void keel_philox_uniform(unsigned long long key, unsigned long long block, long count, float low, float width,
                         float *out);

/* out[i] = value when u < probability, else 0 (u as above) */
void keel_philox_bernoulli(unsigned long long key, unsigned long long block, long count, float probability,
                           float value, float *out);

/* Calls body(context, chunk) for chunk in 0..<chunks on the OpenMP (libgomp) thread team that
 * oneDNN and OpenBLAS's OpenMP build also run on: one pool of threads for every kernel, so a pool
 * that has just finished never spins on the cores the next kernel needs. */
void keel_parallel_for(long chunks, void *context, void (*body)(void *context, long chunk));

/* The number of threads a parallel kernel uses (OpenMP's, set by OMP_NUM_THREADS). */
int keel_parallel_thread_count(void);

#endif
