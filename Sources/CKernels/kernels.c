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

KEEL_CLONES
void keel_max_pool(const keel_pool_geometry *g, const float *restrict x, long first, long end, float *restrict y,
                   int *restrict argmax) {
    const long c = g->channels, per_image = g->out_height * g->out_width;
    for (long pixel = first; pixel < end; pixel++) {
        const long image = pixel / per_image, rest = pixel % per_image;
        const long oy = rest / g->out_width, ox = rest % g->out_width;
        float *restrict out = y + pixel * c;
        int *restrict best = argmax + pixel * c;
        int started = 0;
        for (long ky = 0; ky < g->pool_height; ky++) {
            const long iy = oy * g->stride_y - g->pad_top + ky;
            if (iy < 0 || iy >= g->height) continue;
            for (long kx = 0; kx < g->pool_width; kx++) {
                const long ix = ox * g->stride_x - g->pad_left + kx;
                if (ix < 0 || ix >= g->width) continue;
                const long base = ((image * g->height + iy) * g->width + ix) * c;
                const float *restrict row = x + base;
                if (!started) {
                    started = 1;
                    for (long ch = 0; ch < c; ch++) {
                        out[ch] = row[ch];
                        best[ch] = (int)(base + ch);
                    }
                } else {
                    for (long ch = 0; ch < c; ch++) {
                        const int greater = row[ch] > out[ch];
                        out[ch] = greater ? row[ch] : out[ch];
                        best[ch] = greater ? (int)(base + ch) : best[ch];
                    }
                }
            }
        }
        if (!started) {
            for (long ch = 0; ch < c; ch++) {
                out[ch] = -__builtin_inff();
                best[ch] = -1;
            }
        }
    }
}
