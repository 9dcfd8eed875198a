# Keel: the README's commands. Each target first installs the Debian packages Keel needs
# when they are missing, so a fresh Debian/Ubuntu machine needs nothing but Swift and make.
SHELL := /bin/bash
.DEFAULT_GOAL := demo

DEB_PACKAGES := libhdf5-dev libpng-dev libcsv-dev libturbojpeg0-dev libopenblas-dev libopenblas0-openmp libdnnl-dev zlib1g-dev pkg-config \
                libopenmpi-dev dataset-fashion-mnist
# Only the tests need these: `file` recognises the PNGs Keel writes; mpirun (openmpi-bin) and ip
# (iproute2) start the distributed tests' ranks and their network namespaces.
TEST_DEB_PACKAGES := file openmpi-bin iproute2
# The TensorBoard protocol buffers' Swift code (Sources/KeelIO/TensorBoard/Generated) is generated once
# and committed, so no target here needs protoc: after editing a .proto, run
# Sources/KeelIO/TensorBoard/Protos/generate.sh by hand (it says what it needs).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
VENV := .venv-test
VENV_STAMP := $(VENV)/.requirements-installed
# The peer frameworks of `make bench-peers` (Keras-TF, Keras-JAX, PyTorch CPU): a venv of its own,
# several GB, made only by that target (never by CI or `make test`).
PEER_VENV := .venv-peers
PEER_VENV_STAMP := $(PEER_VENV)/.requirements-installed
PEER_WHEELS ?= /opt/wheels
PEER_TORCH := torch==2.13.0+cpu
SWIFT_BUILD_FLAGS ?=

.PHONY: demo test fuzz bench bench-peers venv-peers deps venv build clean

## Install the Debian packages that are missing (apt lists are refreshed first: a fresh
## machine has empty ones).
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES) $(EXTRA_DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing missing Debian packages:$$missing"; \
	  $(SUDO) apt-get update && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

## The test venv: the real tools (numpy, h5py, ...) that read Keel's files back in tests.
venv: $(VENV_STAMP)
$(VENV_STAMP): Tests/requirements-test.txt
	@if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y python3-venv; \
	fi
	python3 -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet -r Tests/requirements-test.txt
	touch $@

build: deps
	swift build $(SWIFT_BUILD_FLAGS)

## Build release and train the default experiment (Fashion-MNIST MLP); the run directory
## lands under runs/fashion-mlp/.
demo: deps
	swift build -c release
	.build/release/keel --version
	.build/release/keel run fashion-mlp

## Build everything (the keel launcher and libKeel.so are driven as subprocesses by the
## CLI tests) and run the whole test suite.
test: EXTRA_DEB_PACKAGES = $(TEST_DEB_PACKAGES)
test: deps venv
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	swift test --skip-build --disable-swift-testing $(SWIFT_BUILD_FLAGS)

## A long fuzzing campaign: FUZZ_INPUTS mutated inputs of every reader (from FUZZ_SEED) through
## the release keel, two at a time; a table per reader on the console and in .build/fuzz.json,
## crashing or hanging inputs kept under .build/fuzz-findings/. The harness is the test suite's
## FuzzTests (debug test bundle driving the release binary).
FUZZ_INPUTS ?= 2400
FUZZ_SEED ?= 1
fuzz: EXTRA_DEB_PACKAGES = $(TEST_DEB_PACKAGES)
fuzz: deps venv
	swift build -c release
	swift build --build-tests $(SWIFT_BUILD_FLAGS)
	KEEL_FUZZ_INPUTS=$(FUZZ_INPUTS) KEEL_FUZZ_SEED=$(FUZZ_SEED) KEEL_FUZZ_TIMEOUT=20 KEEL_FUZZ_KEEL=$(CURDIR)/.build/release/keel \
	KEEL_FUZZ_REPORT=$(CURDIR)/.build/fuzz.json KEEL_FUZZ_FINDINGS=$(CURDIR)/.build/fuzz-findings \
	  swift test --skip-build --disable-swift-testing $(SWIFT_BUILD_FLAGS) --filter FuzzTests

## Speed figures with their references and ratios, also written to .build/bench.json with the
## machine's CPU. The OpenBLAS variables some machines preset are cleared so the launcher picks
## the kernel for this CPU (`keel doctor` checks that kernel's results). The data-parallel
## figures (dp_*) start 2 ranks with mpirun (openmpi-bin).
bench: EXTRA_DEB_PACKAGES = openmpi-bin
bench: deps
	swift build -c release
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .build/release/keel doctor
	env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE .build/release/keel bench --json .build/bench.json

## The peer venv: keras 3.15.1, tensorflow-cpu, jax[cpu] from pip; torch's CPU wheel from PEER_WHEELS
## (`pip install torch` would fetch a CUDA build of several GB), with --no-deps and no index.
venv-peers: $(PEER_VENV_STAMP)
$(PEER_VENV_STAMP): bench/peers/requirements-peers.txt
	@if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then \
	  $(SUDO) apt-get update && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y python3-venv; \
	fi
	@if ! ls $(PEER_WHEELS)/torch-2.13.0+cpu-*.whl >/dev/null 2>&1; then \
	  echo "venv-peers: the torch CPU wheel: expected $(PEER_WHEELS)/torch-2.13.0+cpu-*.whl (set PEER_WHEELS=<dir>), found: $$(ls $(PEER_WHEELS) 2>&1 | tr '\n' ' ')" >&2; \
	  exit 2; \
	fi
	python3 -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet -r bench/peers/requirements-peers.txt
	$(PEER_VENV)/bin/python -m pip install --quiet --no-deps --no-index --find-links $(PEER_WHEELS) '$(PEER_TORCH)'
	$(PEER_VENV)/bin/python -c 'import keras, tensorflow, jax, torch; assert torch.__version__.endswith("+cpu"), torch.__version__; print("peer venv: keras", keras.__version__, "tensorflow", tensorflow.__version__, "jax", jax.__version__, "torch", torch.__version__)'
	touch $@

## Keel against Keras-TF, Keras-JAX and PyTorch side by side, in one run on this machine: `keel bench`,
## every peer's W1-W5, sgemm 1024 and sequence workloads (bench/peers/), then `keel bench` again, each
## process pinned to CPUs 0,1 after the machine is quiet. One table (Keel, every peer, the fastest,
## Keel's ratio to it), also in .build/bench-peers.json; the logs in .build/bench-peers/.
## BENCH_PEERS_FLAGS passes options to bench/peers/run_peers.py (e.g. --workloads w1,w2 --quick).
BENCH_PEERS_FLAGS ?=
bench-peers: deps venv-peers
	swift build -c release
	python3 bench/peers/run_peers.py --keel .build/release/keel --python $(PEER_VENV)/bin/python \
	  --json .build/bench-peers.json --work .build/bench-peers $(BENCH_PEERS_FLAGS)

clean:
	rm -rf .build $(VENV)
