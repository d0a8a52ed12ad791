#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/checkpatch.sh [FILE...]
# Run the kernel's scripts/checkpatch.pl --strict on bench-module/ (or on
# FILEs). checkpatch.pl comes from Debian's newest linux-source package in
# the trixie build root, extracted once into the cache.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

case "${1:-}" in -h|--help) script_help; exit 0 ;; esac
dir=$CACHE_DIR/checkpatch
if [ ! -s "$dir/scripts/checkpatch.pl" ]; then
	root=$("$HARNESS_DIR/buildroot.sh" trixie)
	pkg=$(chroot "$root" apt-cache search --names-only '^linux-source-[0-9.]+$' |
		awk '{ print $1 }' | sort -V | tail -n1)
	[ -n "$pkg" ] || die "no linux-source package in trixie"
	say "fetching checkpatch.pl from $pkg (once)"
	chroot "$root" sh -c "mkdir -p /tmp/src && cd /tmp/src && apt-get download -q $pkg" >/dev/null 2>&1 ||
		die "apt-get download $pkg failed"
	deb=$(ls "$root"/tmp/src/"$pkg"_*.deb)
	rm -rf "$dir.tmp"
	mkdir -p "$dir.tmp"
	tarball=$(dpkg-deb -c "$deb" | awk '{ print $6 }' | grep -E '\.tar\.xz$' | head -n1)
	dpkg-deb --fsys-tarfile "$deb" | tar -xO "$tarball" |
		tar -xJ -C "$dir.tmp" --strip-components=1 --wildcards \
			'*/scripts/checkpatch.pl' '*/scripts/spelling.txt' \
			'*/scripts/const_structs.checkpatch'
	rm -f "$deb"
	rm -rf "$dir"
	mv "$dir.tmp" "$dir"
fi
if [ $# -eq 0 ]; then
	set -- "$TOP_DIR"/bench-module/*.[ch] "$TOP_DIR"/bench-module/uapi/*.h \
		"$TOP_DIR"/bench-module/probes/*.c
fi
perl "$dir/scripts/checkpatch.pl" --strict --no-tree --terse --show-types \
	-f "$@"
