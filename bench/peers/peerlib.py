"""What every peer script of `make bench-peers` shares: thread settings, the Fashion-MNIST split,
timers that measure what `keel bench` measures, and the one JSON line a script prints.

The workloads are those of ../shared/bench/peers/RESULTS.md (W1-W5, sgemm 1024); how each figure is
timed follows Keel's own figure (Sources/Keel/Bench/PeerWorkloads.swift, KernelBenchmarks.swift) so
that the two sides of a ratio measure the same thing. Differences are stated where they occur.

`pin_threads()` must run before any framework is imported.
"""
import gzip
import json
import os
import resource
import struct
import sys
import time

THREADS = 2
# TF's inter-op pool: 1, as RESULTS.md settled (inter_op 2 made Keras-TF fit epochs bimodal).
TF_INTEROP = 1
DATA_DIR = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
# PEERS_QUICK=1: a few steps of each workload, to check that a script runs (figures meaningless).
QUICK = os.environ.get("PEERS_QUICK", "") not in ("", "0")

# What one process prints: the marker, then one JSON object (the driver reads the last such line).
MARKER = "PEER_RESULT "


def pin_threads():
    """2 threads everywhere (OpenMP, MKL, OpenBLAS, TF intra-op, XLA), TF inter-op 1, as RESULTS.md."""
    t = str(THREADS)
    for key in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS", "TF_NUM_INTRAOP_THREADS"):
        os.environ[key] = t
    os.environ["TF_NUM_INTEROP_THREADS"] = str(TF_INTEROP)
    os.environ["XLA_FLAGS"] = f"--xla_cpu_multi_thread_eigen=true intra_op_parallelism_threads={t}"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("JAX_PLATFORMS", "cpu")


class UserError(Exception):
    """A problem the user can fix (missing data set, bad argument): printed as one line, exit 2."""


def read_idx(path):
    """An unsigned-byte IDX file (gzip) as a numpy uint8 array."""
    import numpy as np
    if not os.path.exists(path):
        raise UserError(f"Fashion-MNIST file {path}: expected the IDX file of Debian's dataset-fashion-mnist "
                        f"(apt-get install dataset-fashion-mnist, or FMNIST_DIR=<dir>), found no such file")
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack(">I", data[:4])[0] if len(data) >= 4 else 0
    if (magic >> 8) != 0x08:
        raise UserError(f"Fashion-MNIST file {path}: expected an unsigned-byte IDX file (magic 0x0000080N), "
                        f"found magic 0x{magic:08x}")
    ndim = magic & 0xFF
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


def fashion_mnist():
    """((x_train, y_train), (x_val, y_val)): the first 50,000 training images and the last 10,000,
    float32 pixels / 255 of shape (n, 28, 28), int32 labels, as Keel's trainValidationSplit."""
    import numpy as np
    x = read_idx(os.path.join(DATA_DIR, "train-images-idx3-ubyte.gz"))
    y = read_idx(os.path.join(DATA_DIR, "train-labels-idx1-ubyte.gz"))
    if x.shape != (60000, 28, 28) or y.shape != (60000,):
        raise UserError(f"Fashion-MNIST in {DATA_DIR}: expected 60000 training images of 28x28 and 60000 labels, "
                        f"found images {x.shape} and labels {y.shape}")
    x = x.astype(np.float32) / 255.0
    y = y.astype(np.int32)
    return (x[:50000], y[:50000]), (x[50000:], y[50000:])


def epoch_order(n=50000, batch=64):
    """W1's batches: one fixed permutation (numpy default_rng(0)); the last batch is partial
    (50,000 = 781 x 64 + 16). Keel draws its own permutation from its seed 0; the order does not
    change the work."""
    import numpy as np
    perm = np.random.default_rng(0).permutation(n)
    return [perm[i:i + batch] for i in range(0, n, batch)]


def now():
    return time.perf_counter()


def median(values):
    """The middle element of the sorted values (the upper one of an even count), as Keel's
    Stopwatch.median and BatchGapTimer take it."""
    s = sorted(values)
    return s[len(s) // 2]


def timed_median(repetitions, body):
    """Seconds: the median of `repetitions` timed calls of body (Keel's Stopwatch.median)."""
    return median([_timed(body) for _ in range(repetitions)])


def time_steps(step, warm, steps):
    """W3's timing, as Keel's: the first call (compilation included) timed alone, warm - 1 more
    warm-up calls, then `steps` timed calls. Returns (first call's seconds, the timed calls'
    seconds, what the last call returned)."""
    t0 = now()
    step()
    first = now() - t0
    for _ in range(warm - 1):
        step()
    times, result = [], None
    for _ in range(steps):
        t0 = now()
        result = step()
        times.append(now() - t0)
    return first, times, result


def _timed(body):
    t0 = now()
    body()
    return now() - t0


class BatchGaps:
    """Keel's BatchGapTimer: the median gap between consecutive batch ends after `warm_up` batches.
    Call end() at each batch end."""

    def __init__(self, warm_up=5):
        self.warm_up, self.seen, self.last, self.gaps = warm_up, 0, None, []

    def end(self):
        t = now()
        self.seen += 1
        if self.seen > self.warm_up and self.last is not None:
            self.gaps.append(t - self.last)
        self.last = t

    def median_ms(self):
        return 1e3 * median(self.gaps) if self.gaps else float("nan")


class EpochSteps:
    """Keel's EpochTrainTimer: in epoch `epoch` (0-based), from the first train batch's begin to
    the last train batch's end, divided by the number of batches (validation not included)."""

    def __init__(self, epoch=1):
        self.epoch, self.current, self.start, self.stop, self.steps = epoch, -1, None, None, 0

    def epoch_begin(self, epoch):
        self.current = epoch

    def batch_begin(self):
        if self.current == self.epoch and self.start is None:
            self.start = now()

    def batch_end(self):
        if self.current == self.epoch:
            self.stop = now()
            self.steps += 1

    def ms_per_step(self):
        if self.start is None or self.steps == 0:
            return float("nan")
        return 1e3 * (self.stop - self.start) / self.steps


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def emit(framework, workload, figures, **extra):
    """Prints the result line: {"framework", "workload", "figures": {name: value}, ...}."""
    record = dict(framework=framework, workload=workload, figures=figures, quick=QUICK,
                  peak_rss_mb=round(peak_rss_mb(), 1), **extra)
    print(MARKER + json.dumps(record, sort_keys=True), flush=True)


def main(run):
    """Runs `run()`; a UserError becomes one line on stderr and exit status 2."""
    try:
        run()
    except UserError as error:
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)
