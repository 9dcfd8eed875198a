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

enum { PHILOX_LANES = 16, PHILOX_CHUNK_WORDS = 4 * PHILOX_LANES };

/* Words 0..<4·lanes of the request that starts at `block`: `lanes` consecutive blocks. Lane j holds
 * block + j, so each round is the same arithmetic on every lane; inlined with lanes = 16 the rounds
 * vectorise, with lanes = 1 a short request makes one block only. */
static inline __attribute__((always_inline)) void philox_lanes(unsigned long long key, unsigned long long block,
                                                               int lanes, unsigned int *words) {
    unsigned int c0[PHILOX_LANES], c1[PHILOX_LANES], c2[PHILOX_LANES], c3[PHILOX_LANES];
    for (int j = 0; j < lanes; j++) {
        const unsigned long long counter = block + (unsigned long long)j;
        c0[j] = (unsigned int)counter;
        c1[j] = (unsigned int)(counter >> 32);
        c2[j] = 0;
        c3[j] = 0;
    }
    unsigned int k0 = (unsigned int)key, k1 = (unsigned int)(key >> 32);
    for (int round = 0; round < 10; round++) {
        for (int j = 0; j < lanes; j++) {
            const unsigned long long p0 = 0xD2511F53ull * c0[j], p1 = 0xCD9E8D57ull * c2[j];
            const unsigned int n0 = (unsigned int)(p1 >> 32) ^ c1[j] ^ k0, n2 = (unsigned int)(p0 >> 32) ^ c3[j] ^ k1;
            c0[j] = n0;
            c1[j] = (unsigned int)p1;
            c2[j] = n2;
            c3[j] = (unsigned int)p0;
        }
        k0 += 0x9E3779B9u;
        k1 += 0xBB67AE85u;
    }
    for (int j = 0; j < lanes; j++) {
        words[4 * j] = c0[j];
        words[4 * j + 1] = c1[j];
        words[4 * j + 2] = c2[j];
        words[4 * j + 3] = c3[j];
    }
}

static inline float philox_unit(unsigned int word) { return (float)(word >> 8) * 0x1p-24f; }

/* The three fills walk the request a chunk at a time; `map` turns words start..<start+n into outputs. */
#define PHILOX_FILL(map)                                                                                   \
    for (long start = 0; start < count; start += PHILOX_CHUNK_WORDS) {                                   \
        unsigned int words[PHILOX_CHUNK_WORDS];                                                            \
        philox_lanes(key, block + (unsigned long long)(start / 4), PHILOX_LANES, words);                  \
        const long n = count - start < PHILOX_CHUNK_WORDS ? count - start : PHILOX_CHUNK_WORDS;           \
        for (long i = 0; i < n; i++) map;                                                                  \
    }

KEEL_CLONES
void keel_philox_words(unsigned long long key, unsigned long long block, long count, unsigned int *restrict out) {
    if (count <= 4) {  // one block: a generator's integer draws and seeds
        unsigned int words[4];
        philox_lanes(key, block, 1, words);
        for (long i = 0; i < count; i++) out[i] = words[i];
        return;
    }
    PHILOX_FILL(out[start + i] = words[i])
}

KEEL_CLONES
void keel_philox_uniform(unsigned long long key, unsigned long long block, long count, float low, float width,
                         float *restrict out) {
    /* Two roundings (product, then sum) as Swift computes it: no fused multiply-add. */
#pragma clang fp contract(off)
    PHILOX_FILL(out[start + i] = low + philox_unit(words[i]) * width)
}

KEEL_CLONES
void keel_philox_bernoulli(unsigned long long key, unsigned long long block, long count, float probability,
                           float value, float *restrict out) {
    PHILOX_FILL(out[start + i] = philox_unit(words[i]) < probability ? value : 0.0f)
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
