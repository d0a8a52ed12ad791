# SPDX-License-Identifier: GPL-2.0
# The module's build-time probes against a broken toolchain: a compiler
# that builds nothing must stop the build, not yield a probes.h that says
# every API is absent; the next good build probes again and agrees with
# the harness's own. Sourced.

# probe_tests KVER: in KVER's build root, against its Debian headers.
probe_tests() {
	local k=$1 suite root w out
	echo "# probes: a broken compiler stops the build, $k"
	suite=$(cat "$CACHE/kernels/$k/suite" 2>/dev/null)
	root=$CACHE/roots/$suite
	w=/build/probe-test-$k
	out=$T/probes-$k
	mkdir -p "$out"
	rm -rf "$root$w" && mkdir -p "$root$w" && cp -a "$TOP/bench-module/." "$root$w/"
	rm -rf "$root$w/.probes" "$root$w/probes.h" "$root$w/.probes.kdir"
	in_build_root "$root" chroot "$root" make -C "$w" KDIR="/usr/src/linux-headers-$k" CC=/bin/false >"$out/bad.log" 2>&1
	check_eq "$k: CC=/bin/false: the build fails" 2 $?
	check_fgrep "... saying the toolchain failed, not the API" \
		"not even an empty module builds against /usr/src/linux-headers-$k" "$out/bad.log"
	check "... and leaves no probes.h" test ! -e "$root$w/probes.h"
	in_build_root "$root" chroot "$root" make -C "$w" KDIR="/usr/src/linux-headers-$k" >"$out/good.log" 2>&1
	check_eq "$k: the next build with the kernel's compiler succeeds" 0 $?
	check_eq "... and probes what the harness's build found" \
		"$(grep '^#define' "$CACHE/modules/$k/probes.h")" "$(grep '^#define' "$root$w/probes.h" 2>&1)"
	in_build_root "$root" chroot "$root" make -C "$w" KDIR="/usr/src/linux-headers-$k" LLVM= ARCH=x86 >"$out/again.log" 2>&1
	check_grep "another ARCH on the command line probes again" "^#define HAVE_" "$out/again.log"
	rm -rf "${root:?}$w"
}
