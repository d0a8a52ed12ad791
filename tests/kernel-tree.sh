#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tests/kernel-tree.sh
# Make (once, cached) the scratch kernel git tree the series tests build,
# and print its path. Base: Debian's linux-source-7.3 from the trixie build
# root's mirror. On top, in this order:
#   neutral  a comment in kernel/dma/mapping.c (no code changes)
#   nops     K nops (K in the tree's .dmabench-k) on dma_map_phys()'s path
#   broken   a commit that does not build
# Commit dates and authors are fixed, so the commit ids are the same on
# every machine for the same linux-source package.
set -euo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
. "$TOP/harness/lib.sh"
case "${1:-}" in -h|--help) script_help; exit 0 ;; "") ;; *) script_help >&2; exit 2 ;; esac
K=400
dir=$CACHE_DIR/test-tree/linux
if [ -e "$dir/.dmabench-ready" ]; then echo "$dir"; exit 0; fi
root=$("$TOP/harness/buildroot.sh" trixie)
need_root "fetching linux-source in the trixie build root"
pkg=$(chroot "$root" apt-cache search --names-only '^linux-source-7\.[0-9]+$' |
	awk '{ print $1 }' | sort -V | tail -n1)
[ -n "$pkg" ] || die "no linux-source-7.x package in trixie(-backports)"
say "importing $pkg into a scratch git tree (about two minutes)"
rm -rf "$dir" "$root/tmp/ksrc"
mkdir -p "$dir" "$root/tmp/ksrc"
chroot "$root" sh -c "cd /tmp/ksrc && apt-get download -q $pkg" >/dev/null 2>&1 ||
	die "apt-get download $pkg failed"
deb=$(ls "$root"/tmp/ksrc/*.deb)
version=$(dpkg-deb -f "$deb" Version)
dpkg-deb --fsys-tarfile "$deb" | tar -x -O --wildcards './usr/src/linux-source-*.tar.xz' |
	xz -T0 -dc | tar -x -C "$dir" --strip-components=1
rm -rf "$root/tmp/ksrc"

export GIT_AUTHOR_NAME=dmabench GIT_AUTHOR_EMAIL=dmabench@localhost
export GIT_COMMITTER_NAME=dmabench GIT_COMMITTER_EMAIL=dmabench@localhost
commit() {
	export GIT_AUTHOR_DATE="2026-01-01T00:00:0$1Z" GIT_COMMITTER_DATE="2026-01-01T00:00:0$1Z"
	# Debian's source tree ignores all but its own list: take everything.
	if [ "$1" = 0 ]; then git -C "$dir" add -A -f; else git -C "$dir" add -u; fi
	git -C "$dir" commit -q -m "$2"
}
git -C "$dir" init -q -b master
commit 0 "$pkg $version (Debian source)"
git -C "$dir" tag -a -m base base
f=$dir/kernel/dma/mapping.c
sed -i '/^dma_addr_t dma_map_phys(struct device \*dev/i /* dmabench test: a comment changes no instruction */' "$f"
commit 1 "dma-mapping: a comment only"
awk -v k=$K '{ print }
	/^dma_addr_t dma_map_phys\(struct device \*dev/ { inside = 1 }
	inside && /BUG_ON\(!valid_dma_direction\(dir\)\);/ {
		printf "\tasm volatile(\".rept %d\\n\\tnop\\n\\t.endr\");\n", k; inside = 0 }' \
	"$f" >"$f.new" && mv "$f.new" "$f"
[ "$(grep -c "\.rept $K" "$f")" = 1 ] || die "could not place the nops in dma_map_phys()"
commit 2 "dma-mapping: $K nops in dma_map_phys()"
echo '#error "dmabench test: this commit does not build"' >>"$f"
commit 3 "dma-mapping: a commit that does not build"
echo $K >"$dir/.dmabench-k"
touch "$dir/.dmabench-ready"
echo "$dir"
