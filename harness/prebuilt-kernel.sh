#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/prebuilt-kernel.sh [--modes LIST] IMAGE KDIR
# Take a kernel you built your own way: IMAGE (bzImage) and KDIR, its
# module build tree (the O= folder, or /lib/modules/RELEASE/build). Checks
# KDIR's .config for what the modes need (--modes, default all four),
# picks the build root whose gcc built it, and prints the kernel id
# (pre-HASH of the image) that build-module.sh and boot.sh take. KDIR is
# only read: the module builds see it through a read-only bind mount.
# Exit: 0, 2 bad input (named), 1 anything else.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

modes="direct strict lazy swiotlb"
while [ $# -gt 0 ]; do
	case $1 in
	--modes) modes=$2; shift 2 ;;
	-h|--help) script_help; exit 0 ;;
	-*) say "error: unknown option $1 (see --help)"; exit 2 ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || { script_help >&2; exit 2; }
image=$1 kdir=$2
bad() { say "error: $*"; exit 2; }
[ -f "$image" ] && [ -r "$image" ] || bad "$image: no such kernel image"
[ -d "$kdir" ] || bad "$kdir: no such module build tree"
image=$(realpath "$image") kdir=$(realpath "$kdir")
[ -f "$kdir/.config" ] || bad "$kdir has no .config: not a kernel build tree"
[ -f "$kdir/Module.symvers" ] || bad "$kdir has no Module.symvers: build the kernel with modules first"
[ -s "$kdir/include/config/kernel.release" ] ||
	bad "$kdir has no include/config/kernel.release: not a configured build tree"
check_kconfig "$kdir/.config" "$modes" || bad "$kdir/.config lacks options the modes need"
gcc_version=$(sed -n 's/^CONFIG_GCC_VERSION=//p' "$kdir/.config")
case ${gcc_version:0:2} in
12) suite=bookworm ;;
14) suite=trixie ;;
*) bad "$kdir was built by $(sed -n 's/^CONFIG_CC_VERSION_TEXT=//p' "$kdir/.config"); the build roots have gcc 12 (bookworm) and gcc 14 (trixie)" ;;
esac
"$HARNESS_DIR/buildroot.sh" "$suite" >/dev/null

kid=pre-$(sha256sum "$image" | cut -c1-12)
out=$CACHE_DIR/kernels/$kid
mkdir -p "$out"
cp "$image" "$out/vmlinuz.tmp"
echo "$suite" >"$out/suite"
echo "$kdir" >"$out/kdir"
{
	echo "$kdir"
	# an O= tree includes its source tree's Makefile by absolute path
	src=$(sed -n 's/^include \(\/.*\)\/Makefile$/\1/p' "$kdir/Makefile" 2>/dev/null | head -n1)
	[ -n "$src" ] && [ "$src" != "$kdir" ] && [ -d "$src" ] && echo "$src"
} >"$out/binds"
release=$(cat "$kdir/include/config/kernel.release")
echo "$release" >"$out/release"
jq -n --arg image "$image" --arg kdir "$kdir" --arg release "$release" \
	--arg id "$kid" \
	'{provider: "prebuilt", id: $id, image: $image, kdir: $kdir, release: $release}' \
	>"$out/source.json"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
# The module cache is per kernel id: a changed tree under the same image
# hash is not possible, but a new KDIR for it must rebuild the module.
if [ "$(cat "$CACHE_DIR/modules/$kid/kdir" 2>/dev/null)" != "$kdir" ]; then
	rm -rf "$CACHE_DIR/modules/$kid"
	mkdir -p "$CACHE_DIR/modules/$kid"
	echo "$kdir" >"$CACHE_DIR/modules/$kid/kdir"
fi
echo "$kid"
