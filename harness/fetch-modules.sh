#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/fetch-modules.sh KERNEL MODULE...
# Put MODULE.ko (e.g. virtio_iommu) of the Debian kernel KERNEL (a release
# fetched by fetch-kernel.sh) into the cache, uncompressed, for a guest's
# initramfs: Debian builds some drivers the harness needs as modules
# (CONFIG_VIRTIO_IOMMU=m). They come from the same release's package:
# linux-modules-KERNEL where Debian splits it out (7.x), else
# linux-image-KERNEL. Prints the path of each module, one per line.
# Cached: later calls answer without touching the network.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

help_or_usage "$@"
[ $# -ge 2 ] || die "usage: fetch-modules.sh KERNEL MODULE... (see --help)"
kver=$1
shift
kdir=$CACHE_DIR/kernels/$kver
[ -s "$kdir/suite" ] || die "kernel $kver is not in the cache (harness/fetch-kernel.sh)"
[ "$(jq -r .provider "$kdir/source.json" 2>/dev/null)" = debian ] ||
	die "$kver is not a Debian kernel: its modules come with its own build (CONFIG_...=y instead)"
out=$kdir/modules
missing=()
for m in "$@"; do
	[[ $m =~ ^[A-Za-z0-9_-]+$ ]] || die "'$m' is not a module name"
	[ -s "$out/${m//-/_}.ko" ] || missing+=("${m//-/_}")
done
if [ ${#missing[@]} -gt 0 ]; then
	suite=$(cat "$kdir/suite")
	root=$("$HARNESS_DIR/buildroot.sh" "$suite")
	need_root "fetching kernel modules"
	pkg=linux-modules-$kver
	chroot "$root" apt-cache show "$pkg" >/dev/null 2>&1 || pkg=linux-image-$kver
	say "fetching ${missing[*]} for $kver from Debian's $pkg"
	dl=$CACHE_DIR/downloads/modules-$kver
	rm -rf "$dl" "$root/tmp/dlm"
	mkdir -p "$dl" "$out"
	chroot "$root" sh -c "mkdir -p /tmp/dlm && cd /tmp/dlm && apt-get download -q $pkg" \
		>"$dl/download.log" 2>&1 || die "apt-get download $pkg failed (log: $dl/download.log)"
	deb=$(ls "$root"/tmp/dlm/*.deb)
	for m in "${missing[@]}"; do
		# the file name may use - or _ (virtio-iommu.ko.xz for virtio_iommu)
		pat="*/$(echo "$m" | sed 's/[-_]/[-_]/g').ko*"
		rm -rf "$dl/x"
		mkdir -p "$dl/x"
		dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dl/x" --wildcards "$pat" 2>/dev/null || true
		f=$(find "$dl/x" -type f -name '*.ko*' | head -n1)
		[ -n "$f" ] || die "$pkg has no module $m"
		case $f in
		*.ko.xz) xz -dc "$f" >"$out/$m.ko.tmp" ;;
		*.ko.zst) zstd -qdc "$f" >"$out/$m.ko.tmp" ;;
		*.ko.gz) gzip -dc "$f" >"$out/$m.ko.tmp" ;;
		*.ko) cp "$f" "$out/$m.ko.tmp" ;;
		*) die "$f: unknown module compression" ;;
		esac
		mv "$out/$m.ko.tmp" "$out/$m.ko"
	done
	rm -rf "$dl" "$root/tmp/dlm"
fi
for m in "$@"; do
	echo "$out/${m//-/_}.ko"
done
