#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/build-module.sh KERNEL
# Build bench-module/ for a kernel in the cache (a Debian release, or the
# id build-kernel.sh or prebuilt-kernel.sh printed) inside the build root
# whose toolchain built that kernel, /proc mounted for objtool. The module
# build tree is the Debian headers' folder, or the one the provider wrote
# into the cache. Prints the path of dmabench.ko. Rebuilds only when the
# module sources change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

help_or_usage "$@"
kver=$1
kdir=$CACHE_DIR/kernels/$kver
[ -s "$kdir/suite" ] || die "kernel $kver is not in the cache (harness/fetch-kernel.sh, build-kernel.sh or prebuilt-kernel.sh)"
suite=$(cat "$kdir/suite")
build_tree=/usr/src/linux-headers-$kver
[ -s "$kdir/kdir" ] && build_tree=$(cat "$kdir/kdir")
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
binds=()
cleanup() {
	local b
	for b in "${binds[@]}"; do umount "$root$b" 2>/dev/null || true; done
	release_build_root "$root"
}
trap cleanup EXIT
use_build_root "$root"
# Module builds take turns (a prebuilt kernel's trees are bound into the
# root for one), beside kernel builds.
lock_build_dir "$root" modules
say "building dmabench.ko for $kver in the $suite build root"
work=$root/build/dmabench-$kver
rm -rf "$work"
mkdir -p "$work" "$out"
(cd "$src" && find . -path ./.probes -prune -o -type f \
	\( -name '*.[ch]' -o -name Makefile -o -name Kbuild \) ! -name probes.h -print |
	cpio -pdm --quiet "$work")
# A prebuilt kernel's build tree (and its source tree) stay where the user
# has them: seen at the same paths inside the build root.
if [ -s "$kdir/binds" ]; then
	while read -r b; do
		mkdir -p "$root$b"
		mountpoint -q "$root$b" || mount --bind -o ro "$b" "$root$b"
		binds+=("$b")
	done <"$kdir/binds"
fi
if ! chroot "$root" make -C "/build/dmabench-$kver" \
	KDIR="$build_tree" >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "module build for $kver failed (log: $out/build.log)"
fi
cp "$work/dmabench.ko" "$work/probes.h" "$out/"
echo "$hash" >"$out/source-hash"
echo "$out/dmabench.ko"
