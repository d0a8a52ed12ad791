#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/dkms-build.sh [--add|--hook|--status|--remove] KERNEL
# Build and install dmabench.ko with DKMS for a Debian kernel in the cache
# (harness/fetch-kernel.sh), the way a user's machine does it, inside that
# kernel's build root: `make -C bench-module dkms-install KVERS=KERNEL`
# (dkms add, build and install into /lib/modules/KERNEL/updates/dkms,
# against the Debian headers in /lib/modules/KERNEL/build), /proc mounted.
# dkms is one of the build root's packages (buildroot.sh). Prints what `dkms status` says for KERNEL. Logs, and the
# module build's make.log, go to the cache's dkms/KERNEL/.
#   --add      `make dkms-add` only: the sources in dkms, nothing built
#   --hook     what installing KERNEL's image runs,
#              /etc/kernel/postinst.d/dkms KERNEL: dkms autoinstall builds
#              and installs every AUTOINSTALL module it lacks
#   --status   only print `dkms status` for KERNEL
#   --remove   `make dkms-remove`: dmabench out of dkms, /usr/src and the
#              root's /lib/modules/KERNEL again
set -euo pipefail
. "$(dirname "$0")/lib.sh"

mode=install
case "${1:-}" in
--add|--hook|--status|--remove) mode=${1#--}; shift ;;
esac
help_or_usage "$@"
kver=$1
kdir=$CACHE_DIR/kernels/$kver
[ -s "$kdir/suite" ] || die "kernel $kver is not in the cache (harness/fetch-kernel.sh)"
suite=$(cat "$kdir/suite")
root=$CACHE_DIR/roots/$suite
out=$CACHE_DIR/dkms/$kver
log=$out/$mode.log
need_root "DKMS in the $suite build root"
# (a root made before dkms was among its packages gets it now)
"$HARNESS_DIR/buildroot.sh" "$suite" >/dev/null
# (the headers' build link may be absolute: look from inside the root)
chroot "$root" test -f "/lib/modules/$kver/build/Makefile" ||
	die "no Debian headers for $kver in the $suite build root (/lib/modules/$kver/build): DKMS builds take Debian kernels"
mkdir -p "$out"

work=$root/build/dmabench-dkms
cleanup() {
	rm -rf "$work"
	release_build_root "$root"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# Beside kernel builds; dkms's own state in the root is one for all.
use_build_root "$root"
lock_build_dir "$root" dkms

status() {
	chroot "$root" dkms status -m dmabench -k "$kver"
}

# The newest make.log dkms kept for KERNEL (a failed build's stays in the
# build folder), into the cache.
keep_make_log() {
	local f
	rm -f "$out/make.log"
	f=$(ls -t "$root"/var/lib/dkms/dmabench/*/"$kver"/*/log/make.log \
		"$root"/var/lib/dkms/dmabench/*/build/make.log 2>/dev/null | head -n1 || true)
	[ -z "$f" ] || cp "$f" "$out/make.log"
}

case $mode in
status)
	status
	exit 0 ;;
hook)
	rm -f "$out/make.log"
	if ! chroot "$root" /etc/kernel/postinst.d/dkms "$kver" >"$log" 2>&1; then
		tail -n 30 "$log" >&2
		die "the dkms kernel hook for $kver failed (log: $log)"
	fi
	keep_make_log
	status
	exit 0 ;;
esac

# bench-module as it is (the Makefile picks what goes to /usr/src), in a
# checkout's layout so that the Makefile compares dkms.conf's version with
# the runner's.
rm -rf "$work"
mkdir -p "$work/runner/lib"
cp -a "$TOP_DIR/bench-module" "$work/"
cp "$TOP_DIR/runner/lib/util.h" "$work/runner/lib/"

case $mode in
remove)
	chroot "$root" make -C /build/dmabench-dkms/bench-module dkms-remove >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "make dkms-remove for $kver failed (log: $log)"; }
	# depmod's indexes, in a folder that holds no other modules
	m=$root/lib/modules/$kver
	find "$m/updates" -depth -type d -empty -delete 2>/dev/null || true
	if [ -z "$(find "$m" -mindepth 1 -maxdepth 1 ! -name build ! -name source ! -name 'modules.*')" ]; then
		rm -f "$m"/modules.*
	fi
	rm -f "$out/make.log"
	exit 0 ;;
add)
	chroot "$root" make -C /build/dmabench-dkms/bench-module dkms-add >"$log" 2>&1 ||
		{ tail -n 20 "$log" >&2; die "make dkms-add failed (log: $log)"; }
	status
	exit 0 ;;
esac
rm -f "$out/make.log"
if ! chroot "$root" make -C /build/dmabench-dkms/bench-module dkms-install KVERS="$kver" \
	>"$log" 2>&1; then
	tail -n 30 "$log" >&2
	keep_make_log
	die "DKMS build of dmabench for $kver failed (log: $log)"
fi
keep_make_log
status
