#!/usr/bin/env python3
"""`make bench-peers`: Keel against Keras-TF, Keras-JAX and PyTorch, side by side in one run.

Order: `keel bench` (the figures that have peers), then every peer's workloads (interleaved across
frameworks, workload by workload), then `keel bench` again. Every process runs alone, pinned with
`taskset -c 0,1`, after the machine is quiet (other processes < 20% of the CPUs over 2 s); the CPU
used by other processes during each run is recorded with it. Prints one table (Keel, every peer,
the fastest peer, Keel's ratio to it: > 1 means Keel is faster) and writes it with every run's
details to --json.

Standard library only (the peers run in the peer venv's Python, given by --python).
usage: run_peers.py --keel .build/release/keel --python .venv-peers/bin/python [--json FILE]
                    [--frameworks keras-tensorflow,keras-jax,torch] [--workloads w1,...,sgemm,sequence]
                    [--quick] [--no-keel]
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FRAMEWORKS = ("keras-tensorflow", "keras-jax", "torch")
LABELS = {"keras-tensorflow": "Keras-TF", "keras-jax": "Keras-JAX", "torch": "PyTorch"}
WORKLOADS = ("w1", "w2", "w3", "w4", "w5", "sgemm", "sequence")
# Which `keel bench --only` group measures a workload.
KEEL_GROUP = {"w1": "w1", "w2": "w2", "w3": "w3", "w4": "w4", "w5": "w5", "sgemm": "kernels", "sequence": "sequence"}
# The table's rows: Keel's figure name, label, unit, higher is better, the workload that measures it.
ROWS = [
    ("w1_custom_loop", "W1 custom loop", "ms/step", False, "w1"),
    ("w2_fit", "W2 Dense-512 fit", "ms/step", False, "w2"),
    ("w3_dcgan_step", "W3 DCGAN step", "ms/step", False, "w3"),
    ("w4_vgg_step", "W4 VGG-BN step", "ms/step", False, "w4"),
    ("w5_predict", "W5 predict", "images/s", True, "w5"),
    ("sgemm_1024", "sgemm 1024", "GFLOP/s", True, "sgemm"),
    ("w2_peak_rss", "W2 peak RSS", "MB", False, "w2"),
    ("lstm_step", "lstm_step", "ms/step", False, "sequence"),
    ("mha_step", "mha_step", "ms/step", False, "sequence"),
]


def dcgan_step_flop():
    """Multiply-adds ×2 of one W3 step, counted from the models (SeedModels.dcgan*): a forward pass
    costs each layer's MACs once, a backward pass twice (input and kernel gradients) except where a
    gradient is not needed. Per image, discriminator (28×28×1 → ... → Dense 1):"""
    disc = [14 * 14 * 64 * 9 * 1,        # Conv2D 64, 3×3, stride 2
            7 * 7 * 128 * 9 * 64,        # Conv2D 128, 3×3, stride 2
            128]                          # Dense 1 after global max pooling
    # Per latent vector, generator (128 → Dense 7·7·128 → two ConvT 4×4 s2 → Conv2D 1, 7×7):
    gen = [128 * 7 * 7 * 128,             # Dense
           7 * 7 * 16 * 128 * 128,        # Conv2DTranspose 128, 4×4, stride 2: 7×7 → 14×14
           14 * 14 * 16 * 128 * 128,      # Conv2DTranspose 128, 4×4, stride 2: 14×14 → 28×28
           28 * 28 * 49 * 128]            # Conv2D 1, 7×7
    d, g = sum(disc), sum(gen)
    d_input_grad = d - disc[0]  # the images need no gradient in the D step
    d_step = 64 * g + 128 * (d + d + d_input_grad)  # the fakes, then D forward and backward on 128 images
    # G forward, D forward, D input gradients only, G kernel and input gradients (not the latent's)
    g_step = 64 * (g + d + d + g + g - gen[0])
    return 2 * (d_step + g_step)


# Work done per unit of a figure, in FLOP, for figures bound by matrix products: with Keel's own
# sgemm_1024 of the same pass, the table shows how close Keel runs to the machine's limit (the
# issue's alternative target where a peer cannot be beaten by 1.5×: ≥ 0.85 of sgemm_1024).
COUNTED_FLOP = {
    "w3_dcgan_step": (dcgan_step_flop(), 1e-3),           # per step; the figure is in ms
    "w5_predict": (2 * (784 * 512 + 512 * 10), None),     # per image; the figure is images/s
}
MARKER = "PEER_RESULT "
QUIET_BUSY_PCT = 20.0  # of all CPUs, over QUIET_WINDOW seconds
QUIET_WINDOW = 2.0
HZ = os.sysconf("SC_CLK_TCK")


class UserError(Exception):
    pass


# ------------------------------------------------------------------------------------ machine load
def cpu_ticks():
    """(busy, total) jiffies of all CPUs from /proc/stat (busy excludes idle and iowait)."""
    with open("/proc/stat") as f:
        values = [int(v) for v in f.readline().split()[1:]]
    return sum(values) - values[3] - values[4], sum(values)


def wait_quiet(timeout):
    """Waits until the CPUs are < QUIET_BUSY_PCT busy over a QUIET_WINDOW; gives up after timeout
    seconds (the run goes ahead, marked not quiet). Returns what it saw."""
    start = time.monotonic()
    while True:
        b0, t0 = cpu_ticks()
        time.sleep(QUIET_WINDOW)
        b1, t1 = cpu_ticks()
        busy = 100.0 * (b1 - b0) / max(1, t1 - t0)
        waited = time.monotonic() - start
        if busy < QUIET_BUSY_PCT:
            return dict(quiet=True, busy_pct=round(busy, 1), waited_s=round(waited, 1))
        if waited >= timeout:
            return dict(quiet=False, busy_pct=round(busy, 1), waited_s=round(waited, 1))


def run_pinned(command, env, log_path, timeout):
    """Runs command under `taskset -c 0,1` with stdout+stderr to log_path. Returns (exit status or
    None on timeout, wall seconds, foreign CPU in % of one core: CPU time of the machine minus this
    process tree's, over the wall time)."""
    import subprocess
    b0, _ = cpu_ticks()
    t0 = time.monotonic()
    with open(log_path, "w") as log:
        log.write("$ " + " ".join(command) + "\n")
        log.flush()
        process = subprocess.Popen(["taskset", "-c", "0,1"] + command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        status, usage = None, None
        while True:
            pid, raw, usage = os.wait4(process.pid, os.WNOHANG)
            if pid == process.pid:
                status = os.waitstatus_to_exitcode(raw)
                break
            if time.monotonic() - t0 > timeout:
                os.killpg(process.pid, signal.SIGKILL)
                _, raw, usage = os.wait4(process.pid, 0)
                status = None
                break
            time.sleep(0.1)
        process.returncode = status if status is not None else -9  # reaped here, not by Popen
    wall = time.monotonic() - t0
    b1, _ = cpu_ticks()
    own = usage.ru_utime + usage.ru_stime
    foreign = max(0.0, (b1 - b0) / HZ - own) / wall * 100.0
    return status, wall, round(foreign, 1)


def tail(path, lines=4):
    try:
        with open(path, errors="replace") as f:
            text = f.read().rstrip().splitlines()
    except OSError:
        return ""
    return " | ".join(line.strip() for line in text[-lines:])


# ------------------------------------------------------------------------------------ the runs
class Runner:
    def __init__(self, args):
        self.args = args
        self.runs = []
        self.count = 0
        self.total = 0
        os.makedirs(args.work, exist_ok=True)
        # As `make bench`: the OpenBLAS presets of some machines cleared so the launcher picks this CPU's kernel.
        self.keel_env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        self.peer_env = dict(os.environ)
        self.peer_env.pop("KERAS_BACKEND", None)
        if args.quick:
            self.peer_env["PEERS_QUICK"] = "1"

    def _start(self, name):
        self.count += 1
        gate = wait_quiet(self.args.quiet_timeout)
        print(f"[{self.count}/{self.total}] {name} ... ", end="", flush=True)
        return gate, os.path.join(self.args.work, f"{self.count:02d}-{name.replace(' ', '-')}.log")

    def _finish(self, record):
        self.runs.append(record)
        figures = ", ".join(f"{k} {fmt(v)}" for k, v in record.get("figures", {}).items())
        quiet = "" if record["quiet_gate"]["quiet"] else f" (machine not quiet: {record['quiet_gate']['busy_pct']}% busy before it)"
        outcome = figures if record["status"] == "ok" else f"FAILED: {record['error']}"
        print(f"{record['seconds']:.1f} s, foreign CPU {record['foreign_cpu_pct']}%{quiet}: {outcome}", flush=True)

    def keel(self, keel_pass, group):
        name = f"keel{keel_pass} {group}"
        gate, log = self._start(name)
        out = os.path.join(self.args.work, f"keel-{keel_pass}-{group}.json")
        if os.path.exists(out):
            os.remove(out)
        command = [self.args.keel, "bench", "--only", group, "--json", out]
        status, wall, foreign = run_pinned(command, self.keel_env, log, self.args.timeout)
        record = dict(who="keel", keel_pass=keel_pass, workload=group, command=command, log=log, seconds=round(wall, 1),
                      foreign_cpu_pct=foreign, quiet_gate=gate, status="failed", figures={})
        if status != 0:
            record["error"] = (f"keel bench --only {group}: expected exit status 0, found "
                               f"{'a timeout after %d s' % self.args.timeout if status is None else 'exit status %d' % status}; "
                               f"log {log}: {tail(log)}")
        else:
            try:
                with open(out) as f:
                    data = json.load(f)
                record["figures"] = {k: v["value"] for k, v in data.items() if isinstance(v, dict) and "value" in v}
                record["machine"] = data.get("machine")
                record["status"] = "ok"
            except (OSError, ValueError) as error:
                record["error"] = f"keel bench --only {group}: expected its figures in {out}, found {error}"
        self._finish(record)

    def peer(self, framework, workload, sequence_workload=None):
        what = sequence_workload or workload
        gate, log = self._start(f"{framework} {what}")
        env = dict(self.peer_env)
        if sequence_workload:
            if framework == "torch":
                command = [self.args.python, os.path.join(HERE, "sequence_bench.py"), "torch", sequence_workload]
            else:
                command = [self.args.python, os.path.join(HERE, "sequence_bench.py"), "keras", sequence_workload]
                env["KERAS_BACKEND"] = framework.split("-", 1)[1]
        elif framework == "torch":
            command = [self.args.python, os.path.join(HERE, "torch_peer.py"), workload]
        else:
            command = [self.args.python, os.path.join(HERE, "keras_peer.py"), framework.split("-", 1)[1], workload]
        status, wall, foreign = run_pinned(command, env, log, self.args.timeout)
        record = dict(who=framework, workload=what, command=command, log=log, seconds=round(wall, 1),
                      foreign_cpu_pct=foreign, quiet_gate=gate, status="failed", figures={})
        result = read_result(log, sequence_workload)
        if status != 0 or result is None:
            found = ("a timeout after %d s" % self.args.timeout if status is None else
                     "exit status %d" % status if status != 0 else "no result line")
            record["error"] = (f"{os.path.basename(command[1])} {' '.join(command[2:])}: expected exit status 0 and a result line, "
                               f"found {found}; log {log}: {tail(log)}")
        else:
            record.update(status="ok", figures=result.pop("figures"), details=result)
        self._finish(record)


def read_result(log, sequence_workload):
    """The peer's figures from its log: the last PEER_RESULT line (or, for sequence_bench.py, its
    last JSON line with ms_per_step)."""
    try:
        with open(log, errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            if sequence_workload is None and line.startswith(MARKER):
                return json.loads(line[len(MARKER):])
            if sequence_workload is not None and line.startswith("{"):
                data = json.loads(line)
                if "ms_per_step" in data:
                    return dict(figures={sequence_workload: data["ms_per_step"]}, reported_as=data.get("framework"))
        except ValueError:
            continue
    return None


# ------------------------------------------------------------------------------------ the table
def fmt(value):
    if value is None:
        return "-"
    if value != value:  # NaN
        return "nan"
    if abs(value) >= 10000:
        return f"{value / 1000:.1f}k"
    if abs(value) >= 100:
        return f"{value:.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.3g}"


def build_rows(runner, frameworks, workloads):
    rows = []
    for figure, label, unit, higher, workload in ROWS:
        if workload not in workloads:
            continue
        peers = {}
        foreign = []
        for framework in frameworks:
            runs = [r for r in runner.runs if r["who"] == framework and
                    (r["workload"] == workload or (workload == "sequence" and r["workload"] == figure))]
            if not runs:
                continue
            run = runs[-1]
            foreign.append(run["foreign_cpu_pct"])
            if run["status"] == "ok" and figure in run["figures"]:
                peers[framework] = dict(status="ok", value=run["figures"][figure])
            else:
                peers[framework] = dict(status="failed", error=run.get("error", f"no figure {figure}"))
        ok = {f: p["value"] for f, p in peers.items() if p["status"] == "ok" and p["value"] == p["value"]}
        fastest = None
        if ok:
            best = (max if higher else min)(ok, key=ok.get)
            fastest = dict(framework=best, value=ok[best])
        keel = []
        for r in runner.runs:
            if r["who"] == "keel" and r["workload"] == KEEL_GROUP[workload]:
                foreign.append(r["foreign_cpu_pct"])
                value = r["figures"].get(figure) if r["status"] == "ok" else None
                keel.append(dict(keel_pass=r["keel_pass"], status="ok" if value is not None else "failed", value=value,
                                 error=r.get("error") if value is None else None))
        shares = []
        if figure in COUNTED_FLOP:
            flop, seconds_per_unit = COUNTED_FLOP[figure]
            for k in keel:
                sgemm = next((r["figures"].get("sgemm_1024") for r in runner.runs if r["who"] == "keel"
                              and r["workload"] == "kernels" and r["keel_pass"] == k["keel_pass"]
                              and r["status"] == "ok"), None)
                if k["value"] and sgemm:
                    rate = flop / (k["value"] * seconds_per_unit) if seconds_per_unit else flop * k["value"]
                    shares.append(rate / 1e9 / sgemm)
        ratios = []
        for k in keel:
            if fastest and k["value"]:
                ratios.append(k["value"] / fastest["value"] if higher else fastest["value"] / k["value"])
        rows.append(dict(figure=figure, label=label, unit=unit, higher_is_better=higher, peers=peers, fastest_peer=fastest,
                         keel=keel, ratios=ratios, sgemm_shares=shares, ratio_min=min(ratios) if ratios else None,
                         ratio_max=max(ratios) if ratios else None, max_foreign_cpu_pct=max(foreign) if foreign else None))
    return rows


def table(rows, frameworks):
    header = ["workload", "unit"] + [LABELS[f] for f in frameworks] + ["fastest peer", "Keel", "Keel ÷ fastest", "Keel ÷ sgemm", "foreign CPU %"]
    lines = []
    for row in rows:
        cells = [row["label"], row["unit"]]
        for framework in frameworks:
            peer = row["peers"].get(framework)
            cells.append("-" if peer is None else "failed" if peer["status"] != "ok" else fmt(peer["value"]))
        fastest = row["fastest_peer"]
        cells.append(f"{fmt(fastest['value'])} ({LABELS[fastest['framework']]})" if fastest else "-")
        cells.append(" / ".join(fmt(k["value"]) if k["status"] == "ok" else "failed" for k in row["keel"]) or "-")
        if row["ratios"]:
            lo, hi = row["ratio_min"], row["ratio_max"]
            cells.append(f"{lo:.2f}×" if f"{lo:.2f}" == f"{hi:.2f}" else f"{lo:.2f}–{hi:.2f}×")
        else:
            cells.append("-")
        cells.append(" / ".join(f"{share:.2f}" for share in row["sgemm_shares"]) or "-")
        cells.append(fmt(row["max_foreign_cpu_pct"]))
        lines.append(cells)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines)]
    out = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
           "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += ["| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |" for cells in lines]
    return "\n".join(out)


def machine():
    cpu = "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return dict(cpu=cpu, cores=os.cpu_count(), kernel=platform.release(), pinned="taskset -c 0,1")


# ------------------------------------------------------------------------------------ main
def check_tools(args):
    if shutil.which("taskset") is None:
        raise UserError("taskset: expected the util-linux tool that pins each run to CPUs 0,1, found it nowhere on PATH")
    if not args.no_keel and not (os.path.isfile(args.keel) and os.access(args.keel, os.X_OK)):
        raise UserError(f"keel executable {args.keel}: expected a release build (swift build -c release), "
                        f"found {'a file that is not executable' if os.path.exists(args.keel) else 'no such file'}")
    if not (os.path.isfile(args.python) and os.access(args.python, os.X_OK)):
        raise UserError(f"peer Python {args.python}: expected the peer venv's interpreter (make venv-peers creates it), "
                        f"found {'a file that is not executable' if os.path.exists(args.python) else 'no such file'}")
    data = os.environ.get("FMNIST_DIR", "/usr/share/datasets/fashion-mnist")
    wanted = ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz")
    missing = [name for name in wanted if not os.path.isfile(os.path.join(data, name))]
    if missing:
        raise UserError(f"Fashion-MNIST in {data}: expected {', '.join(wanted)} (Debian's dataset-fashion-mnist), "
                        f"found {'no ' + ', no '.join(missing)}")


def parse_list(text, allowed, what):
    items = [item.strip() for item in text.split(",") if item.strip()]
    unknown = [item for item in items if item not in allowed]
    if unknown or not items:
        raise UserError(f"--{what}: expected a comma-separated list of {', '.join(allowed)}, found {text!r}")
    return [item for item in allowed if item in items]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--keel", default=".build/release/keel")
    ap.add_argument("--python", default=".venv-peers/bin/python")
    ap.add_argument("--json", default=".build/bench-peers.json")
    ap.add_argument("--work", default=".build/bench-peers", help="each run's log and Keel's JSON files")
    ap.add_argument("--frameworks", default=",".join(FRAMEWORKS))
    ap.add_argument("--workloads", default=",".join(WORKLOADS))
    ap.add_argument("--quick", action="store_true", help="peers run a few steps only (PEERS_QUICK=1): checks the scripts")
    ap.add_argument("--no-keel", action="store_true", help="peers only")
    ap.add_argument("--timeout", type=int, default=900, help="seconds before one run is stopped and counted as failed")
    ap.add_argument("--quiet-timeout", type=float, default=float(os.environ.get("PEERS_QUIET_TIMEOUT", "120")),
                    help="seconds to wait for a quiet machine before a run goes ahead anyway")
    args = ap.parse_args()
    try:
        frameworks = parse_list(args.frameworks, FRAMEWORKS, "frameworks")
        workloads = parse_list(args.workloads, WORKLOADS, "workloads")
        check_tools(args)
    except UserError as error:
        print(f"bench-peers: error: {error}", file=sys.stderr)
        return 2

    started = datetime.datetime.now(datetime.timezone.utc)
    t0 = time.monotonic()
    runner = Runner(args)
    keel_groups = [] if args.no_keel else list(dict.fromkeys(KEEL_GROUP[w] for w in workloads))
    peer_jobs = []
    for workload in workloads:
        for framework in frameworks:
            if workload == "sequence":
                peer_jobs += [(framework, workload, s) for s in ("lstm_step", "mha_step")]
            else:
                peer_jobs.append((framework, workload, None))
    runner.total = 2 * len(keel_groups) + len(peer_jobs)
    print(f"bench-peers: {runner.total} runs, each pinned to CPUs 0,1 after the machine is quiet "
          f"(< {QUIET_BUSY_PCT:.0f}% busy over {QUIET_WINDOW:.0f} s); logs in {args.work}/"
          + ("; QUICK mode: peer figures are not measurements" if args.quick else ""), flush=True)
    for group in keel_groups:
        runner.keel(1, group)
    for job in peer_jobs:
        runner.peer(*job)
    for group in keel_groups:
        runner.keel(2, group)

    rows = build_rows(runner, frameworks, workloads)
    duration = time.monotonic() - t0
    text = table(rows, frameworks)
    print()
    print(text)
    print("Keel: `keel bench` before / after the peers. Keel ÷ fastest: > 1 means Keel is faster (lower time, "
          "or higher rate); a range covers Keel's two runs. Keel ÷ sgemm: Keel's GFLOP/s on the row's counted "
          "work over its own sgemm_1024 of the same pass (run_peers.COUNTED_FLOP). foreign CPU %: the most other processes used "
          "(in % of one core) during any run of the row.")
    failed = [r for r in runner.runs if r["status"] != "ok"]
    for r in failed:
        print(f"failed: {r['who']} {r['workload']}: {r['error']}")
    report = dict(started=started.isoformat(timespec="seconds"), duration_s=round(duration, 1), machine=machine(),
                  settings=dict(threads=2, tf_inter_op=1, taskset="0,1", quick=args.quick,
                                quiet_gate=f"< {QUIET_BUSY_PCT}% of all CPUs busy over {QUIET_WINDOW} s",
                                foreign_cpu_pct="CPU time of other processes during the run, in % of one core"),
                  frameworks=frameworks, workloads=workloads, rows=rows, table=text, runs=runner.runs,
                  failed=len(failed))
    os.makedirs(os.path.dirname(os.path.abspath(args.json)), exist_ok=True)
    with open(args.json + ".tmp", "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(args.json + ".tmp", args.json)
    print(f"wrote {args.json} ({duration / 60:.1f} min)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
