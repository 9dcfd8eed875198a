// Open MPI, resolved with dlsym. The predefined handles (MPI_COMM_WORLD, MPI_FLOAT, MPI_SUM, ...)
// are addresses of global objects in libmpi, so they are looked up by their Open MPI symbol
// names too: nothing here references libmpi at link time.
#include "keel_mpi.h"

#include <dlfcn.h>
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct keel_mpi_request {
    MPI_Request request;
};

static struct {
    int loaded;
    __typeof__(MPI_Init_thread) *init_thread;
    __typeof__(MPI_Comm_rank) *comm_rank;
    __typeof__(MPI_Comm_size) *comm_size;
    __typeof__(MPI_Comm_split_type) *comm_split_type;
    __typeof__(MPI_Comm_free) *comm_free;
    __typeof__(MPI_Comm_set_errhandler) *comm_set_errhandler;
    __typeof__(MPI_Iallreduce) *iallreduce;
    __typeof__(MPI_Ibcast) *ibcast;
    __typeof__(MPI_Iallgather) *iallgather;
    __typeof__(MPI_Ibarrier) *ibarrier;
    __typeof__(MPI_Test) *test;
    __typeof__(MPI_Error_string) *error_string;
    __typeof__(MPI_Finalize) *finalize;
    __typeof__(MPI_Abort) *abort_job;
    MPI_Comm world;
    MPI_Datatype float_type, double_type, byte_type;
    MPI_Op sum, min, max;
    MPI_Info info_null;
    MPI_Errhandler errors_return;
} mpi;

static void copy_message(char *error, size_t capacity, const char *message) {
    if (capacity == 0) return;
    snprintf(error, capacity, "%s", message);
}

int keel_mpi_load(char *error, size_t capacity) {
    if (mpi.loaded) return 0;
    void *library = dlopen("libmpi.so.40", RTLD_NOW | RTLD_GLOBAL);
    if (!library) {
        const char *reason = dlerror();
        snprintf(error, capacity, "cannot load Open MPI's libmpi.so.40 (%s); install it with "
                 "`apt-get install openmpi-bin` (Debian) or run without --distributed",
                 reason ? reason : "not found");
        return -1;
    }
    const char *missing = NULL;
#define RESOLVE(field, symbol) do { \
        void *address = dlsym(library, symbol); \
        if (!address && !missing) missing = symbol; \
        *(void **)&mpi.field = address; \
    } while (0)
    RESOLVE(init_thread, "MPI_Init_thread");
    RESOLVE(comm_rank, "MPI_Comm_rank");
    RESOLVE(comm_size, "MPI_Comm_size");
    RESOLVE(comm_split_type, "MPI_Comm_split_type");
    RESOLVE(comm_free, "MPI_Comm_free");
    RESOLVE(comm_set_errhandler, "MPI_Comm_set_errhandler");
    RESOLVE(iallreduce, "MPI_Iallreduce");
    RESOLVE(ibcast, "MPI_Ibcast");
    RESOLVE(iallgather, "MPI_Iallgather");
    RESOLVE(ibarrier, "MPI_Ibarrier");
    RESOLVE(test, "MPI_Test");
    RESOLVE(error_string, "MPI_Error_string");
    RESOLVE(finalize, "MPI_Finalize");
    RESOLVE(abort_job, "MPI_Abort");
    RESOLVE(world, "ompi_mpi_comm_world");
    RESOLVE(float_type, "ompi_mpi_float");
    RESOLVE(double_type, "ompi_mpi_double");
    RESOLVE(byte_type, "ompi_mpi_byte");
    RESOLVE(sum, "ompi_mpi_op_sum");
    RESOLVE(min, "ompi_mpi_op_min");
    RESOLVE(max, "ompi_mpi_op_max");
    RESOLVE(info_null, "ompi_mpi_info_null");
    RESOLVE(errors_return, "ompi_mpi_errors_return");
#undef RESOLVE
    if (missing) {
        snprintf(error, capacity, "libmpi.so.40 has no symbol %s (Keel needs Open MPI 4)", missing);
        return -1;
    }
    mpi.loaded = 1;
    return 0;
}

void keel_mpi_error_string(int code, char *error, size_t capacity) {
    if (capacity == 0) return;
    char text[MPI_MAX_ERROR_STRING];
    int length = 0;
    if (mpi.loaded && mpi.error_string(code, text, &length) == MPI_SUCCESS) {
        snprintf(error, capacity, "MPI error %d: %.*s", code, length, text);
    } else {
        snprintf(error, capacity, "MPI error %d", code);
    }
}

int keel_mpi_init(int *rank, int *size, int *local_rank, int *local_size, char *error, size_t capacity) {
    if (!mpi.loaded) { copy_message(error, capacity, "libmpi is not loaded"); return -1; }
    int provided = 0;
    int code = mpi.init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided);
    if (code != MPI_SUCCESS) { keel_mpi_error_string(code, error, capacity); return code; }
    // A failed collective (a rank that died) comes back as an error code Keel reports, not an abort.
    mpi.comm_set_errhandler(mpi.world, mpi.errors_return);
    if ((code = mpi.comm_rank(mpi.world, rank)) != MPI_SUCCESS ||
        (code = mpi.comm_size(mpi.world, size)) != MPI_SUCCESS) {
        keel_mpi_error_string(code, error, capacity);
        return code;
    }
    MPI_Comm host;
    code = mpi.comm_split_type(mpi.world, MPI_COMM_TYPE_SHARED, *rank, mpi.info_null, &host);
    if (code != MPI_SUCCESS) { keel_mpi_error_string(code, error, capacity); return code; }
    mpi.comm_rank(host, local_rank);
    mpi.comm_size(host, local_size);
    mpi.comm_free(&host);
    return 0;
}

static MPI_Op operation(keel_mpi_op op) {
    switch (op) {
    case KEEL_MPI_MIN: return mpi.min;
    case KEEL_MPI_MAX: return mpi.max;
    default: return mpi.sum;
    }
}

static int started(int code, keel_mpi_request *handle, keel_mpi_request **request) {
    if (code != MPI_SUCCESS) { free(handle); *request = NULL; return code; }
    *request = handle;
    return 0;
}

int keel_mpi_start_allreduce_float(float *buffer, int count, keel_mpi_op op, keel_mpi_request **request) {
    keel_mpi_request *handle = malloc(sizeof *handle);
    if (!handle) return -1;
    return started(mpi.iallreduce(MPI_IN_PLACE, buffer, count, mpi.float_type, operation(op), mpi.world, &handle->request),
                   handle, request);
}

int keel_mpi_start_allreduce_double(double *buffer, int count, keel_mpi_op op, keel_mpi_request **request) {
    keel_mpi_request *handle = malloc(sizeof *handle);
    if (!handle) return -1;
    return started(mpi.iallreduce(MPI_IN_PLACE, buffer, count, mpi.double_type, operation(op), mpi.world, &handle->request),
                   handle, request);
}

int keel_mpi_start_broadcast(void *buffer, int bytes, int root, keel_mpi_request **request) {
    keel_mpi_request *handle = malloc(sizeof *handle);
    if (!handle) return -1;
    return started(mpi.ibcast(buffer, bytes, mpi.byte_type, root, mpi.world, &handle->request), handle, request);
}

int keel_mpi_start_allgather(const void *bytes_in, int bytes, void *result, keel_mpi_request **request) {
    keel_mpi_request *handle = malloc(sizeof *handle);
    if (!handle) return -1;
    return started(mpi.iallgather(bytes_in, bytes, mpi.byte_type, result, bytes, mpi.byte_type, mpi.world, &handle->request),
                   handle, request);
}

int keel_mpi_start_barrier(keel_mpi_request **request) {
    keel_mpi_request *handle = malloc(sizeof *handle);
    if (!handle) return -1;
    return started(mpi.ibarrier(mpi.world, &handle->request), handle, request);
}

int keel_mpi_test(keel_mpi_request *request, int *done) {
    int flag = 0;
    int code = mpi.test(&request->request, &flag, MPI_STATUS_IGNORE);
    *done = flag;
    if (code != MPI_SUCCESS || flag) free(request);
    if (code != MPI_SUCCESS) *done = 1;
    return code;
}

int keel_mpi_finalize(void) {
    return mpi.loaded ? mpi.finalize() : 0;
}

void keel_mpi_abort(int code) {
    if (mpi.loaded) mpi.abort_job(mpi.world, code);
}
