#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/fetch-kernel.sh [--arch arm64] SUITE SERIES
# Resolve the newest Debian amd64 kernel of SERIES (e.g. 6.12 or 7) that the
# build root of SUITE can see (bookworm, or trixie with trixie-backports),
# put its headers into that build root and its bootable image into the cache.
# Prints the exact kernel release. A resolved series is cached: later calls
# answer from the cache without touching the network.
#   --arch arm64  Debian's arm64 kernel instead (its release ends in -arm64),
#                 its headers for the build root's cross compiler; the
#                 cache records the kernel's architecture in KERNEL/arch
set -euo pipefail
. "$(dirname "$0")/lib.sh"

# Where the kernel came from, for the results: Debian's package and version.
source_json() {
	jq -n --arg release "$1" --arg suite "$2" --arg version "$3" \
		'{provider: "debian", id: $release, release: $release, suite: $suite,
		  package: "linux-image-\($release)"} + (if $version == "" then {} else {version: $version} end)'
}

arch=amd64
root_opts=()
if [ "${1:-}" = --arch ]; then
	[ "${2:-}" = arm64 ] || die "--arch takes arm64 (amd64 is the default)"
	arch=arm64 root_opts=(--arch arm64)
	shift 2
fi
help_or_usage "$@"
suite=$1 series=${2:?"usage: fetch-kernel.sh [--arch arm64] SUITE SERIES"}
[[ $series =~ ^[0-9]+(\.[0-9]+)*$ ]] || die "'$series' is not a kernel series (6.12, 7)"
pin=$CACHE_DIR/kernels/$suite-$series.release
[ $arch = amd64 ] || pin=$CACHE_DIR/kernels/$suite-$series-$arch.release
if [ -s "$pin" ]; then
	kver=$(cat "$pin")
	if [ -s "$CACHE_DIR/kernels/$kver/vmlinuz" ]; then
		[ -s "$CACHE_DIR/kernels/$kver/source.json" ] ||
			source_json "$kver" "$suite" "" >"$CACHE_DIR/kernels/$kver/source.json"
		echo "$kver"
		exit 0
	fi
fi

root=$("$HARNESS_DIR/buildroot.sh" "${root_opts[@]}" "$suite")
need_root "fetching kernels"
re="^linux-headers-${series//./\\.}\\.[0-9.]+\\+deb[0-9]+-$arch\$"
kver=$(chroot "$root" apt-cache search --names-only "$re" |
	awk '{ sub(/^linux-headers-/, "", $1); print $1 }' | sort -V | tail -n1)
[ -n "$kver" ] || die "no linux-headers-$series.*-$arch package in $suite"
say "fetching Debian kernel $kver ($suite)"

# The headers' direct dependencies carry the common headers and kbuild (and,
# on 6.12, the image: the unsigned one, not the alternative "|Depends:").
# A dependency of the arm64 headers reads <name:arm64>: the name is kept.
# From 7.x on the kernel itself is in linux-binary-*.
deps() {
	chroot "$root" apt-cache depends --no-recommends --no-suggests "$1" |
		awk '$1 == "Depends:" { n = $2; gsub(/[<>]/, "", n); sub(/:.*/, "", n)
			if (n ~ /^linux-(headers|kbuild|image)-/) print n }'
}
# kbuild's programs run on the host: always its amd64 build (an arm64
# kernel's headers ask for their own arch's, which the host cannot run).
pkgs=$(deps "linux-headers-$kver" | sed 's/^linux-kbuild-.*/&:amd64/')
pkgs=$(echo "linux-headers-$kver" $pkgs)
if chroot "$root" apt-cache show "linux-binary-$kver" >/dev/null 2>&1; then
	pkgs="$pkgs linux-binary-$kver"
fi
dl=$CACHE_DIR/downloads/$kver
mkdir -p "$dl"
chroot "$root" sh -c "mkdir -p /tmp/dl && cd /tmp/dl && apt-get download -q $pkgs" \
	>"$dl/download.log" 2>&1 || die "apt-get download $pkgs failed (log: $dl/download.log)"
mv "$root"/tmp/dl/*.deb "$dl/"

out=$CACHE_DIR/kernels/$kver
mkdir -p "$out"
for deb in "$dl"/*.deb; do
	case $(basename "$deb") in
	linux-headers-*|linux-kbuild-*)
		# keep the build root's merged-/usr symlinks (/lib -> usr/lib)
		dpkg-deb --fsys-tarfile "$deb" | tar -x --keep-directory-symlink -C "$root" ;;
	linux-image-*|linux-binary-*)
		version=$(dpkg-deb -f "$deb" Version)
		dpkg-deb --fsys-tarfile "$deb" |
			tar -x -C "$out" --wildcards './boot/vmlinuz-*' './usr/lib/modules/*/vmlinuz' \
			2>/dev/null || true ;;
	esac
done
img=$(find "$out" -name 'vmlinuz*' -type f | head -n1)
[ -n "$img" ] || die "no vmlinuz in the image packages of $kver"
mv "$img" "$out/vmlinuz.tmp"
rm -rf "$out/boot" "$out/usr"
mv "$out/vmlinuz.tmp" "$out/vmlinuz"
[ -d "$root/usr/src/linux-headers-$kver" ] || die "headers of $kver missing after extraction"
echo "$suite" >"$out/suite"
echo "$arch" >"$out/arch"
source_json "$kver" "$suite" "${version:-}" >"$out/source.json"
echo "$kver" >"$pin"
rm -rf "$dl"
echo "$kver"
