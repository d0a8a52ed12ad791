# SPDX-License-Identifier: GPL-2.0
# dmabench: top-level targets. 'make demo' and 'make check' set up
# everything they need on a Debian 12 host (as root) and reuse the cache
# (DMABENCH_CACHE, default .cache/) on later runs.

BEFORE ?= bookworm:6.12
AFTER ?= trixie:7
CONFIG ?= configs/demo.ini
ACCEL ?= tcg-icount

all: runner

# The explain plugin needs the installed QEMU's plugin header (fetched
# once from its Debian source package) and is built against it.
deps:
	harness/install-deps.sh
	harness/build-plugin.sh >/dev/null

# Building the runner installs nothing; demo, series and check do first.
runner:
	$(MAKE) -C runner

# ARCH=arm64: Debian's arm64 kernels of BEFORE and AFTER on
# qemu-system-aarch64 with SMMUv3 (only ARCH given on make's command line
# counts: a kernel build's ARCH in the environment is not ours).
demo: deps
	$(MAKE) runner
	build/dmabench matrix --config $(CONFIG) --accel $(ACCEL) \
		$(if $(filter command line,$(origin ARCH)),--arch $(ARCH)) \
		$(if $(RUNS),--runs $(RUNS)) $(if $(IOMMU),--iommu $(IOMMU)) $(BEFORE) $(AFTER)

# Your tree, your series: make series TREE=~/src/linux RANGE=v7.3..my-series
# [EACH=1] [KCONFIG=my.config] [CONFIG=...] [ACCEL=...] (default tcg-icount)
# [RUNS=N] [IOMMU=intel|amd|virtio, or several: amd,virtio]
series:
	@[ -n "$(TREE)" ] && [ -n "$(RANGE)" ] || { echo "usage: make series TREE=DIR RANGE=BASE..HEAD [EACH=1] [KCONFIG=FILE] [CONFIG=FILE] [ACCEL=NAME]" >&2; exit 2; }
	harness/install-deps.sh
	$(MAKE) runner
	build/dmabench series --tree "$(TREE)" --config $(CONFIG) \
		$(if $(filter command line,$(origin ACCEL)),--accel $(ACCEL)) \
		$(if $(RUNS),--runs $(RUNS)) $(if $(EACH),--each) \
		$(if $(IOMMU),--iommu $(IOMMU)) \
		$(if $(KCONFIG),--kconfig "$(KCONFIG)") "$(RANGE)"

check: deps
	$(MAKE) runner
	tests/run.sh

clean:
	$(MAKE) -C runner clean
	rm -rf bench-module/.probes bench-module/probes.h bench-module/.probes.kdir

# Also drops the build roots, kernels and module builds.
distclean: clean
	rm -rf .cache

.PHONY: all deps runner demo series check clean distclean
