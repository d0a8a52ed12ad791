# SPDX-License-Identifier: GPL-2.0
# dmabench: top-level targets. 'make demo' and 'make check' set up
# everything they need on a Debian 12 host (as root) and reuse the cache
# (DMABENCH_CACHE, default .cache/) on later runs.

BEFORE ?= bookworm:6.12
AFTER ?= trixie:7
CONFIG ?= configs/demo.ini
ACCEL ?= tcg

all: runner

deps:
	harness/install-deps.sh

runner: deps
	$(MAKE) -C runner

demo: runner
	runner/dmabench matrix --config $(CONFIG) --accel $(ACCEL) $(BEFORE) $(AFTER)

check: runner
	tests/run.sh

clean:
	$(MAKE) -C runner clean
	rm -rf bench-module/.probes bench-module/probes.h

# Also drops the build roots, kernels and module builds.
distclean: clean
	rm -rf .cache

.PHONY: all deps runner demo check clean distclean
