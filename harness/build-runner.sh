#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/build-runner.sh arm64
# The guest side of an arm64 run: runner/ cross-built as a static aarch64
# binary in the trixie build root (its arm64 jansson, inih and zlib), and
# Debian's static arm64 busybox, into CACHE/guest/arm64/. An x86_64 guest
# takes the host's own build/dmabench and /bin/busybox instead. Prints the
# folder. Rebuilds only when the runner's sources change.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

help_or_usage "$@"
[ "$1" = arm64 ] || die "build-runner.sh builds for arm64 only (x86_64 guests run build/dmabench)"
out=$CACHE_DIR/guest/arm64
hash=$( (cd "$TOP_DIR" && ls runner/Makefile runner/builtin/*.[ch] runner/lib/*.[ch] bench-module/uapi/dmabench.h |
	LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -c1-16)
if [ -x "$out/dmabench" ] && [ -x "$out/busybox" ] &&
	[ "$(cat "$out/source-hash" 2>/dev/null)" = "$hash" ]; then
	echo "$out"
	exit 0
fi
root=$("$HARNESS_DIR/buildroot.sh" --arch arm64 trixie)
need_root "cross-building the arm64 runner in the trixie build root"
use_build_root "$root"
trap 'release_build_root "$root"' EXIT
lock_build_dir "$root" runner-arm64
say "cross-building the arm64 runner in the trixie build root"
work=$root/build/runner-arm64
rm -rf "$work"
mkdir -p "$work/runner/builtin" "$work/runner/lib" "$work/bench-module/uapi" "$out"
cp "$TOP_DIR"/runner/Makefile "$work/runner/"
cp "$TOP_DIR"/runner/builtin/*.[ch] "$work/runner/builtin/"
cp "$TOP_DIR"/runner/lib/*.[ch] "$work/runner/lib/"
cp "$TOP_DIR/bench-module/uapi/dmabench.h" "$work/bench-module/uapi/"
if ! chroot "$root" make -j"$(nproc)" -C /build/runner-arm64/runner \
	CC=aarch64-linux-gnu-gcc dmabench >"$out/build.log" 2>&1; then
	tail -n 30 "$out/build.log" >&2
	die "cross-building the arm64 runner failed (log: $out/build.log)"
fi
cp "$work/build/dmabench" "$out/dmabench.tmp"
mv "$out/dmabench.tmp" "$out/dmabench"
rm -rf "$work"
if [ ! -x "$out/busybox" ]; then
	rm -rf "$root/tmp/dlb"
	chroot "$root" sh -c "mkdir -p /tmp/dlb && cd /tmp/dlb && apt-get download -q busybox-static:arm64" \
		>>"$out/build.log" 2>&1 || die "apt-get download busybox-static:arm64 failed (log: $out/build.log)"
	dpkg-deb --fsys-tarfile "$root"/tmp/dlb/*.deb | tar -x -O ./usr/bin/busybox >"$out/busybox.tmp" ||
		die "no usr/bin/busybox in busybox-static:arm64"
	chmod +x "$out/busybox.tmp"
	mv "$out/busybox.tmp" "$out/busybox"
	rm -rf "$root/tmp/dlb"
fi
echo "$hash" >"$out/source-hash"
echo "$out"
