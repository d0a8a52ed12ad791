#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/buildroot.sh [--arch arm64] SUITE
# Make (once) a Debian build root for SUITE (bookworm or trixie) under the
# cache with the toolchain that the suite's kernel headers need. Kernels and
# their headers are fetched into it by fetch-kernel.sh; nothing of a newer
# suite is ever installed into the host.
#   --arch arm64  also (once) arm64 as a foreign architecture and the cross
#                 compiler of the suite's arm64 kernel headers (gcc-12 on
#                 bookworm, gcc-14 on trixie); trixie also gets the arm64
#                 static libraries of the guest runner (build-runner.sh)
set -euo pipefail
. "$(dirname "$0")/lib.sh"

arch=
if [ "${1:-}" = --arch ]; then
	arch=${2:-}
	shift 2 || true
	[ "$arch" = arm64 ] || die "--arch takes arm64 (x86_64 is every root's own)"
fi
help_or_usage "$@"
suite=$1
root=$CACHE_DIR/roots/$suite
# Two callers at once (the test suite fetches both kernels in parallel)
# make or extend one root, one after the other.
mkdir -p "$CACHE_DIR/roots"
exec 9>"$root.lock"
flock 9
# The toolchain for modules, ccache and rsync for kernels from source, and
# dkms for the module's DKMS package (so that no build waits for its
# installation later).
pkgs="build-essential bc bison flex libelf-dev libssl-dev kmod dwarves
	ca-certificates cpio ccache rsync dkms"
install_pkgs() {
	# shellcheck disable=SC2086
	chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $pkgs >>"$root.log" 2>&1 ||
		die "installing the toolchain into $suite build root failed (log: $root.log)"
	chroot "$root" apt-get clean
	echo $pkgs >"$root/.dmabench-ready"
}
# Cross toolchain: Debian's arm64 headers name their compiler
# (aarch64-linux-gnu-gcc-12 or -14) in .kernelvariables.
case $suite in
bookworm) arm64_pkgs="gcc-12-aarch64-linux-gnu" ;;
*) arm64_pkgs="crossbuild-essential-arm64 libjansson-dev:arm64 libinih-dev:arm64
	zlib1g-dev:arm64" ;;
esac
add_arm64() {
	[ "$(cat "$root/.dmabench-arm64-ready" 2>/dev/null)" = "$(echo $arm64_pkgs)" ] && return 0
	need_root "adding arm64 to the $suite build root"
	# not while a kernel or module builds in it
	change_build_root "$root"
	say "adding the arm64 cross toolchain to the $suite build root (a minute or two)"
	chroot "$root" dpkg --add-architecture arm64
	chroot "$root" apt-get update -q >>"$root.log" 2>&1 ||
		die "apt-get update (arm64) in the $suite build root failed (log: $root.log)"
	# shellcheck disable=SC2086
	chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
		--no-install-recommends $arm64_pkgs >>"$root.log" 2>&1 ||
		die "installing the arm64 cross toolchain into the $suite build root failed (log: $root.log)"
	chroot "$root" apt-get clean
	echo $arm64_pkgs >"$root/.dmabench-arm64-ready"
}
if [ -e "$root/.dmabench-ready" ]; then
	# A root made by an older list gets what is new in it, once.
	if [ "$(cat "$root/.dmabench-ready")" != "$(echo $pkgs)" ]; then
		need_root "adding packages to the $suite build root"
		change_build_root "$root"
		say "adding packages to the $suite build root"
		chroot "$root" apt-get update -q >>"$root.log" 2>&1 || true
		install_pkgs
	fi
	[ -z "$arch" ] || add_arm64
	echo "$root"
	exit 0
fi
need_root "building the $suite build root"
command -v debootstrap >/dev/null || die "debootstrap is missing (apt-get install debootstrap)"
mirror=$(host_mirror)

say "creating $suite build root in $root (about a minute)"
rm -rf "$root"
mkdir -p "$root"
debootstrap --variant=minbase "$suite" "$root" "$mirror" >"$root.log" 2>&1 ||
	{ tail -n 20 "$root.log" >&2; die "debootstrap $suite failed (log: $root.log)"; }

suites="$suite $suite-updates"
[ "$suite" = bookworm ] || suites="$suites $suite-backports"
security=$(host_mirror bookworm-security)
{
	for s in $suites; do echo "deb $mirror $s main"; done
	[ -z "$security" ] || echo "deb $security $suite-security main"
} >"$root/etc/apt/sources.list"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
chroot "$root" apt-get update -q >>"$root.log" 2>&1 ||
	die "apt-get update in $suite build root failed (log: $root.log)"
install_pkgs
[ -z "$arch" ] || add_arm64
echo "$root"
