#include "keel_kernels.h"
#include <math.h>

// libgomp's entry for a parallel region (what GCC emits for `#pragma omp parallel`), called
// directly: clang's own OpenMP lowering targets LLVM's runtime, and the process already has
// libgomp, which oneDNN uses.
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);
extern int omp_get_max_threads(void);

struct keel_parallel_job {
    long chunks;
    void *context;
    void (*body)(void *, long);
};

static void keel_parallel_worker(void *data) {
    const struct keel_parallel_job *job = data;
    const long threads = omp_get_num_threads();
    for (long chunk = omp_get_thread_num(); chunk < job->chunks; chunk += threads) job->body(job->context, chunk);
}

void keel_parallel_for(long chunks, void *context, void (*body)(void *context, long chunk)) {
    struct keel_parallel_job job = {chunks, context, body};
    const long limit = omp_get_max_threads();
    GOMP_parallel(keel_parallel_worker, &job, (unsigned)(chunks < limit ? chunks : limit), 0);
}

int keel_parallel_thread_count(void) { return omp_get_max_threads(); }

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
void keel_axpy(float alpha, const float *restrict x, float *restrict y, long count) {
    for (long i = 0; i < count; i++) y[i] += alpha * x[i];
}

// The single-output-channel convolution works in blocks of 64 channels held in a local array the
// compiler keeps in vector registers (four independent AVX-512 sums, so the multiply-adds do not
// wait on each other) across all the taps (or pixels) summed into it.
enum { KEEL_BLOCK = 64 };

KEEL_CLONES
void keel_single_filter_forward(const keel_single_filter_geometry *g, const float *restrict x,
                                const float *restrict kernel, float *restrict y) {
    const long c = g->channels, full = c / KEEL_BLOCK * KEEL_BLOCK;
    for (long oy = 0; oy < g->out_height; oy++) {
        for (long ox = 0; ox < g->out_width; ox++) {
            float acc[KEEL_BLOCK] = {0};
            for (long ky = 0; ky < g->kernel_height; ky++) {
                const long iy = oy * g->stride_y - g->pad_top + ky * g->dilation_y;
                if (iy < 0 || iy >= g->height) continue;
                for (long kx = 0; kx < g->kernel_width; kx++) {
                    const long ix = ox * g->stride_x - g->pad_left + kx * g->dilation_x;
                    if (ix < 0 || ix >= g->width) continue;
                    const float *row = x + (iy * g->width + ix) * c;
                    const float *weights = kernel + (ky * g->kernel_width + kx) * c;
                    for (long c0 = 0; c0 < full; c0 += KEEL_BLOCK) {
                        for (int i = 0; i < KEEL_BLOCK; i++) acc[i] += row[c0 + i] * weights[c0 + i];
                    }
                    for (long i = 0; i < c - full; i++) acc[i] += row[full + i] * weights[full + i];
                }
            }
            float total = 0;
            for (int i = 0; i < KEEL_BLOCK; i++) total += acc[i];
            y[oy * g->out_width + ox] = total;
        }
    }
}

KEEL_CLONES
void keel_single_filter_kernel_gradient(const keel_single_filter_geometry *g, const float *restrict x,
                                        const float *restrict dy, float *restrict gradient) {
    const long c = g->channels;
    for (long ky = 0; ky < g->kernel_height; ky++) {
        for (long kx = 0; kx < g->kernel_width; kx++) {
            float *tap = gradient + (ky * g->kernel_width + kx) * c;
            for (long c0 = 0; c0 < c; c0 += KEEL_BLOCK) {
                const long width = c - c0 < KEEL_BLOCK ? c - c0 : KEEL_BLOCK;
                float acc[KEEL_BLOCK] = {0};
                for (long oy = 0; oy < g->out_height; oy++) {
                    const long iy = oy * g->stride_y - g->pad_top + ky * g->dilation_y;
                    if (iy < 0 || iy >= g->height) continue;
                    for (long ox = 0; ox < g->out_width; ox++) {
                        const long ix = ox * g->stride_x - g->pad_left + kx * g->dilation_x;
                        if (ix < 0 || ix >= g->width) continue;
                        const float d = dy[oy * g->out_width + ox];
                        const float *row = x + (iy * g->width + ix) * c + c0;
                        if (width == KEEL_BLOCK) {
                            for (int i = 0; i < KEEL_BLOCK; i++) acc[i] += d * row[i];
                        } else {
                            for (long i = 0; i < width; i++) acc[i] += d * row[i];
                        }
                    }
                }
                for (long i = 0; i < width; i++) tap[c0 + i] += acc[i];
            }
        }
    }
}
