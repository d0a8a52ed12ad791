#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/build-module.sh KERNEL_RELEASE
# Build bench-module/ against a fetched Debian kernel's headers inside the
# build root of that kernel's suite (its toolchain, /proc mounted for
# objtool). Prints the path of dmabench.ko. Rebuilds only when the module
# sources change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

help_or_usage "$@"
kver=$1
kdir=$CACHE_DIR/kernels/$kver
[ -s "$kdir/suite" ] || die "kernel $kver is not fetched (harness/fetch-kernel.sh)"
suite=$(cat "$kdir/suite")
root=$CACHE_DIR/roots/$suite
out=$CACHE_DIR/modules/$kver
src=$TOP_DIR/bench-module
hash=$(cd "$src" && find . -path ./.probes -prune -o -type f \
	\( -name '*.[ch]' -o -name Makefile -o -name Kbuild \) ! -name probes.h -print |
	LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
if [ -s "$out/dmabench.ko" ] && [ "$(cat "$out/source-hash" 2>/dev/null)" = "$hash" ]; then
	echo "$out/dmabench.ko"
	exit 0
fi
need_root "building the module in the $suite build root"
say "building dmabench.ko for $kver in the $suite build root"
work=$root/build/dmabench-$kver
rm -rf "$work"
mkdir -p "$work" "$out"
(cd "$src" && find . -path ./.probes -prune -o -type f \
	\( -name '*.[ch]' -o -name Makefile -o -name Kbuild \) ! -name probes.h -print |
	cpio -pdm --quiet "$work")
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
if ! chroot "$root" make -C "/build/dmabench-$kver" \
	KDIR="/usr/src/linux-headers-$kver" >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "module build for $kver failed (log: $out/build.log)"
fi
cp "$work/dmabench.ko" "$work/probes.h" "$out/"
echo "$hash" >"$out/source-hash"
echo "$out/dmabench.ko"
