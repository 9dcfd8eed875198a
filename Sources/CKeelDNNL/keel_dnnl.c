#include "keel_dnnl.h"

#include <oneapi/dnnl/dnnl.h>
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// libdnnl is opened on the first convolution or large matrix product, not linked: loading it costs
// a process ~4 MB of memory (relocations), which a process that never needs it should not pay. The header comes from
// Debian's libdnnl-dev; these are the calls Keel makes.
#define KEEL_DNNL_CALLS(X) \
    X(dnnl_engine_create) \
    X(dnnl_stream_create) \
    X(dnnl_primitive_destroy) \
    X(dnnl_memory_destroy) \
    X(dnnl_primitive_desc_destroy) \
    X(dnnl_reorder_primitive_desc_create) \
    X(dnnl_primitive_create) \
    X(dnnl_memory_desc_init_by_tag) \
    X(dnnl_dilated_convolution_forward_desc_init) \
    X(dnnl_primitive_desc_create) \
    X(dnnl_dilated_convolution_backward_data_desc_init) \
    X(dnnl_dilated_convolution_backward_weights_desc_init) \
    X(dnnl_primitive_desc_query_md) \
    X(dnnl_memory_create) \
    X(dnnl_memory_desc_equal) \
    X(dnnl_memory_desc_get_size) \
    X(dnnl_memory_set_data_handle) \
    X(dnnl_primitive_execute) \
    X(dnnl_stream_wait) \
    X(dnnl_primitive_desc_query) \
    X(dnnl_sgemm)

static struct {
#define KEEL_DNNL_MEMBER(name) __typeof__(&name) name;
    KEEL_DNNL_CALLS(KEEL_DNNL_MEMBER)
#undef KEEL_DNNL_MEMBER
} api;

// One CPU engine and one stream for the process: oneDNN's own thread pool (OpenMP) does the
// parallel work inside a primitive, so callers never run two plans at once (Keel serialises).
static dnnl_engine_t shared_engine;
static dnnl_stream_t shared_stream;
static char shared_error[256];
static pthread_once_t shared_once = PTHREAD_ONCE_INIT;

static void create_shared(void) {
    void *library = dlopen("libdnnl.so.2", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(shared_error, sizeof shared_error, "oneDNN: cannot load libdnnl.so.2 (%s)", reason ? reason : "unknown error");
        return;
    }
#define LOAD(name) \
    if (!(api.name = (__typeof__(api.name))dlsym(library, #name))) { \
        snprintf(shared_error, sizeof shared_error, "oneDNN: libdnnl.so.2 has no %s", #name); \
        return; \
    }
    KEEL_DNNL_CALLS(LOAD)
#undef LOAD
    dnnl_status_t status = api.dnnl_engine_create(&shared_engine, dnnl_cpu, 0);
    if (status == dnnl_success) status = api.dnnl_stream_create(&shared_stream, shared_engine, dnnl_stream_default_flags);
    if (status != dnnl_success) snprintf(shared_error, sizeof shared_error, "oneDNN: creating the CPU engine failed with status %d", (int)status);
}

int keel_dnnl_sgemm(char transa, char transb, int64_t m, int64_t n, int64_t k, float alpha, const float *a,
                    int64_t lda, const float *b, int64_t ldb, float beta, float *c, int64_t ldc) {
    pthread_once(&shared_once, create_shared);
    if (shared_error[0]) return -1;
    return (int)api.dnnl_sgemm(transa, transb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

struct keel_conv_plan {
    keel_conv_direction direction;
    dnnl_primitive_desc_t pd;
    dnnl_primitive_t primitive;
    // The operands as Keel lays them out, bound to the caller's buffers at each run.
    dnnl_memory_t first, second, output;
    // The kernel (or kernel gradient) in the layout the primitive prefers, when that differs
    // from HWIO: `staged` is the primitive's operand and `reorder` converts between the two.
    dnnl_memory_t staged;
    dnnl_primitive_t reorder;
    void *staged_buffer;
};

static void fail(dnnl_status_t status, const char *what, char *error, size_t capacity) {
    snprintf(error, capacity, "oneDNN: %s failed with status %d", what, (int)status);
}

#define TRY(call, what) do { dnnl_status_t s_ = (call); if (s_ != dnnl_success) { fail(s_, what, error, capacity); status = s_; goto done; } } while (0)

void keel_conv_plan_destroy(keel_conv_plan *plan) {
    if (!plan) return;
    if (plan->reorder) api.dnnl_primitive_destroy(plan->reorder);
    if (plan->staged) api.dnnl_memory_destroy(plan->staged);
    free(plan->staged_buffer);
    if (plan->first) api.dnnl_memory_destroy(plan->first);
    if (plan->second) api.dnnl_memory_destroy(plan->second);
    if (plan->output) api.dnnl_memory_destroy(plan->output);
    if (plan->primitive) api.dnnl_primitive_destroy(plan->primitive);
    if (plan->pd) api.dnnl_primitive_desc_destroy(plan->pd);
    free(plan);
}

/// A reorder primitive from `from` to `to`.
static dnnl_status_t make_reorder(dnnl_primitive_t *reorder, const dnnl_memory_desc_t *from, const dnnl_memory_desc_t *to) {
    dnnl_primitive_desc_t pd;
    dnnl_status_t status = api.dnnl_reorder_primitive_desc_create(&pd, from, shared_engine, to, shared_engine, NULL);
    if (status != dnnl_success) return status;
    status = api.dnnl_primitive_create(reorder, pd);
    api.dnnl_primitive_desc_destroy(pd);
    return status;
}

keel_conv_plan *keel_conv_plan_create(const keel_conv_shape *g, keel_conv_direction direction,
                                      char *error, size_t capacity) {
    pthread_once(&shared_once, create_shared);
    if (shared_error[0]) {
        snprintf(error, capacity, "%s", shared_error);
        return NULL;
    }
    keel_conv_plan *plan = calloc(1, sizeof *plan);
    if (!plan) {
        snprintf(error, capacity, "oneDNN: out of memory for a convolution plan");
        return NULL;
    }
    plan->direction = direction;
    dnnl_status_t status = dnnl_success;
    dnnl_primitive_desc_t forward_pd = NULL;

    // oneDNN's dims are logical (N, C, H, W) and (O, I, KH, KW); the tags give Keel's layouts.
    dnnl_dims_t src_dims = {g->batch, g->in_channels, g->height, g->width};
    dnnl_dims_t dst_dims = {g->batch, g->out_channels, g->out_height, g->out_width};
    dnnl_dims_t weight_dims = {g->out_channels, g->in_channels, g->kernel_height, g->kernel_width};
    dnnl_dims_t strides = {g->stride_y, g->stride_x};
    dnnl_dims_t dilates = {g->dilation_y - 1, g->dilation_x - 1};
    dnnl_dims_t pad_l = {g->pad_top, g->pad_left};
    // The far-side padding that makes the given output size; an input with rows or columns the
    // kernel never reaches would need a negative one, which oneDNN refuses, and zero gives the
    // same output size (the division rounds down).
    int64_t extent_y = (g->kernel_height - 1) * g->dilation_y + 1, extent_x = (g->kernel_width - 1) * g->dilation_x + 1;
    int64_t pad_bottom = (g->out_height - 1) * g->stride_y + extent_y - g->height - g->pad_top;
    int64_t pad_right = (g->out_width - 1) * g->stride_x + extent_x - g->width - g->pad_left;
    dnnl_dims_t pad_r = {pad_bottom > 0 ? pad_bottom : 0, pad_right > 0 ? pad_right : 0};

    dnnl_memory_desc_t src_md, dst_md, weights_plain_md, weights_any_md;
    TRY(api.dnnl_memory_desc_init_by_tag(&src_md, 4, src_dims, dnnl_f32, dnnl_nhwc), "describing the input");
    TRY(api.dnnl_memory_desc_init_by_tag(&dst_md, 4, dst_dims, dnnl_f32, dnnl_nhwc), "describing the output");
    TRY(api.dnnl_memory_desc_init_by_tag(&weights_plain_md, 4, weight_dims, dnnl_f32, dnnl_hwio), "describing the kernel");
    TRY(api.dnnl_memory_desc_init_by_tag(&weights_any_md, 4, weight_dims, dnnl_f32, dnnl_format_tag_any), "describing the kernel");

    dnnl_convolution_desc_t forward_desc;
    TRY(api.dnnl_dilated_convolution_forward_desc_init(&forward_desc, dnnl_forward_training, dnnl_convolution_direct,
                                                   &src_md, &weights_any_md, NULL, &dst_md, strides, dilates, pad_l, pad_r),
        "describing the convolution");
    TRY(api.dnnl_primitive_desc_create(&forward_pd, &forward_desc, NULL, shared_engine, NULL), "choosing a forward convolution");

    dnnl_query_t weights_query = dnnl_query_weights_md;
    if (direction == KEEL_CONV_FORWARD) {
        plan->pd = forward_pd;
        forward_pd = NULL;
    } else if (direction == KEEL_CONV_BACKWARD_DATA) {
        dnnl_convolution_desc_t desc;
        TRY(api.dnnl_dilated_convolution_backward_data_desc_init(&desc, dnnl_convolution_direct, &src_md, &weights_any_md,
                                                            &dst_md, strides, dilates, pad_l, pad_r),
            "describing the input gradient");
        TRY(api.dnnl_primitive_desc_create(&plan->pd, &desc, NULL, shared_engine, forward_pd), "choosing an input-gradient convolution");
    } else {
        dnnl_convolution_desc_t desc;
        TRY(api.dnnl_dilated_convolution_backward_weights_desc_init(&desc, dnnl_convolution_direct, &src_md, &weights_any_md,
                                                               NULL, &dst_md, strides, dilates, pad_l, pad_r),
            "describing the kernel gradient");
        TRY(api.dnnl_primitive_desc_create(&plan->pd, &desc, NULL, shared_engine, forward_pd), "choosing a kernel-gradient convolution");
        weights_query = dnnl_query_diff_weights_md;
    }
    TRY(api.dnnl_primitive_create(&plan->primitive, plan->pd), "creating the convolution");

    const dnnl_memory_desc_t *weights_md = api.dnnl_primitive_desc_query_md(plan->pd, weights_query, 0);
    const dnnl_memory_desc_t *first_md = direction == KEEL_CONV_BACKWARD_DATA ? &dst_md : &src_md;
    const dnnl_memory_desc_t *second_md = direction == KEEL_CONV_BACKWARD_WEIGHTS ? &dst_md : &weights_plain_md;
    const dnnl_memory_desc_t *output_md = direction == KEEL_CONV_FORWARD ? &dst_md
        : direction == KEEL_CONV_BACKWARD_DATA ? &src_md : &weights_plain_md;
    TRY(api.dnnl_memory_create(&plan->first, first_md, shared_engine, DNNL_MEMORY_NONE), "binding the first operand");
    TRY(api.dnnl_memory_create(&plan->second, second_md, shared_engine, DNNL_MEMORY_NONE), "binding the second operand");
    TRY(api.dnnl_memory_create(&plan->output, output_md, shared_engine, DNNL_MEMORY_NONE), "binding the output");
    if (!api.dnnl_memory_desc_equal(weights_md, &weights_plain_md)) {
        size_t bytes = api.dnnl_memory_desc_get_size(weights_md);
        plan->staged_buffer = aligned_alloc(64, (bytes + 63) / 64 * 64);
        if (!plan->staged_buffer) {
            snprintf(error, capacity, "oneDNN: out of memory for a %zu-byte kernel in oneDNN's layout", bytes);
            status = dnnl_out_of_memory;
            goto done;
        }
        TRY(api.dnnl_memory_create(&plan->staged, weights_md, shared_engine, plan->staged_buffer), "binding the staged kernel");
        if (direction == KEEL_CONV_BACKWARD_WEIGHTS) {
            TRY(make_reorder(&plan->reorder, weights_md, &weights_plain_md), "creating the kernel-gradient reorder");
        } else {
            TRY(make_reorder(&plan->reorder, &weights_plain_md, weights_md), "creating the kernel reorder");
        }
    }

done:
    if (forward_pd) api.dnnl_primitive_desc_destroy(forward_pd);
    if (status != dnnl_success) {
        keel_conv_plan_destroy(plan);
        return NULL;
    }
    return plan;
}

int keel_conv_plan_run(keel_conv_plan *plan, const float *first, const float *second, float *output,
                       char *error, size_t capacity) {
    dnnl_status_t status = dnnl_success;
    TRY(api.dnnl_memory_set_data_handle(plan->first, (void *)first), "binding the first operand");
    TRY(api.dnnl_memory_set_data_handle(plan->second, (void *)second), "binding the second operand");
    TRY(api.dnnl_memory_set_data_handle(plan->output, output), "binding the output");
    // The operand that is a kernel (or the kernel gradient), in the primitive's layout.
    dnnl_memory_t weights = plan->direction == KEEL_CONV_BACKWARD_WEIGHTS ? plan->output : plan->second;
    if (plan->staged) {
        if (plan->direction != KEEL_CONV_BACKWARD_WEIGHTS) {
            dnnl_exec_arg_t args[2] = {{DNNL_ARG_FROM, plan->second}, {DNNL_ARG_TO, plan->staged}};
            TRY(api.dnnl_primitive_execute(plan->reorder, shared_stream, 2, args), "reordering the kernel");
        }
        weights = plan->staged;
    }
    dnnl_exec_arg_t args[3];
    switch (plan->direction) {
    case KEEL_CONV_FORWARD:
        args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, plan->first};
        args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, weights};
        args[2] = (dnnl_exec_arg_t){DNNL_ARG_DST, plan->output};
        break;
    case KEEL_CONV_BACKWARD_DATA:
        args[0] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, plan->first};
        args[1] = (dnnl_exec_arg_t){DNNL_ARG_WEIGHTS, weights};
        args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_SRC, plan->output};
        break;
    case KEEL_CONV_BACKWARD_WEIGHTS:
        args[0] = (dnnl_exec_arg_t){DNNL_ARG_SRC, plan->first};
        args[1] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_DST, plan->second};
        args[2] = (dnnl_exec_arg_t){DNNL_ARG_DIFF_WEIGHTS, weights};
        break;
    }
    TRY(api.dnnl_primitive_execute(plan->primitive, shared_stream, 3, args), "running the convolution");
    if (plan->staged && plan->direction == KEEL_CONV_BACKWARD_WEIGHTS) {
        dnnl_exec_arg_t reorder_args[2] = {{DNNL_ARG_FROM, plan->staged}, {DNNL_ARG_TO, plan->output}};
        TRY(api.dnnl_primitive_execute(plan->reorder, shared_stream, 2, reorder_args), "reordering the kernel gradient");
    }
    TRY(api.dnnl_stream_wait(shared_stream), "waiting for the convolution");
done:
    return (int)status;
}

const char *keel_conv_plan_implementation(const keel_conv_plan *plan) {
    const char *name = NULL;
    if (api.dnnl_primitive_desc_query(plan->pd, dnnl_query_impl_info_str, 0, &name) != dnnl_success || !name) return "unknown";
    return name;
}
