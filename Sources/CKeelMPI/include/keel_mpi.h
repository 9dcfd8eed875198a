#ifndef KEEL_MPI_H
#define KEEL_MPI_H

// Keel's door to Open MPI. libmpi is loaded on demand (dlopen) the first time a process joins a
// distributed job, so a single-machine user needs neither Open MPI nor mpirun: libKeel.so has no
// link-time dependency on it. Every call returns 0 on success or an MPI error code; `error`
// buffers receive a readable message.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct keel_mpi_request keel_mpi_request;

typedef enum {
    KEEL_MPI_SUM = 0,
    KEEL_MPI_MIN = 1,
    KEEL_MPI_MAX = 2,
} keel_mpi_op;

/// Loads libmpi.so.40 (RTLD_GLOBAL: Open MPI's own components resolve symbols in it).
int keel_mpi_load(char *error, size_t capacity);

/// MPI_Init_thread (funneled: the calling thread makes every later call), errors returned rather
/// than fatal, and this process's place in the job and on its host.
int keel_mpi_init(int *rank, int *size, int *local_rank, int *local_size, char *error, size_t capacity);

/// Non-blocking collectives on MPI_COMM_WORLD; `count` must fit an int (callers split larger ones).
int keel_mpi_start_allreduce_float(float *buffer, int count, keel_mpi_op op, keel_mpi_request **request);
int keel_mpi_start_allreduce_double(double *buffer, int count, keel_mpi_op op, keel_mpi_request **request);
int keel_mpi_start_broadcast(void *buffer, int bytes, int root, keel_mpi_request **request);
/// Every rank's `bytes` bytes, in rank order, into `result` (size × bytes).
int keel_mpi_start_allgather(const void *bytes_in, int bytes, void *result, keel_mpi_request **request);
int keel_mpi_start_barrier(keel_mpi_request **request);

/// MPI_Test; frees the request once it completed (`*done` = 1).
int keel_mpi_test(keel_mpi_request *request, int *done);

void keel_mpi_error_string(int code, char *error, size_t capacity);
int keel_mpi_finalize(void);
void keel_mpi_abort(int code);

#ifdef __cplusplus
}
#endif

#endif
