# Flywheel: every target first makes sure the system libraries it links are installed.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := libopenblas-dev libhdf5-dev hdf5-tools libpng-dev libjpeg62-turbo-dev pkg-config python3-venv
SWIFT_RELEASE := swift build -c release
BENCH_DIR := bench-results

.PHONY: deps build test test-slurm reproduce bench bench-peers clean

## deps: install the Debian packages Flywheel links against, when any is missing.
deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:$$missing"; \
		$(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q $$missing; \
	fi

## build: the flywheel command, optimised.
build: deps
	$(SWIFT_RELEASE) --product flywheel

## test: the whole test suite, optimised (numeric tests run several times faster than in debug).
test: deps
	swift test -c release -Xswiftc -enable-testing

## test-slurm: a tiny experiment through a real single-node Slurm (installs slurm-wlm and munge).
test-slurm: build
	scripts/test-slurm.sh

## reproduce: Ng's model-centric vs data-centric table on built-in data (results/ng-table.md).
reproduce: build
	.build/release/flywheel reproduce

## bench: engine throughput on the reference CNN at 1 and 2 threads, with the machine's sgemm rate.
bench: build
	.build/release/flywheel bench

## bench-peers: Flywheel beside TensorFlow (and other peers) in one sitting; see bench/README.md.
bench-peers: build
	bench/compare.sh $(BENCH_DIR)

clean:
	rm -rf .build $(BENCH_DIR)
