# SPDX-License-Identifier: GPL-2.0
# kselftest/dmabench: its layout, its skip on a machine without the module,
# and in guests, installed from a kernel tree's tools/testing/selftests the
# way kselftest installs for a machine under test and run there by its own
# run_kselftest.sh. Sourced by tests/run.sh.

kselftest_host_tests() {
	local k=$TOP/kselftest/dmabench out rc
	echo "# kselftest: the folder's layout"
	check_grep "its Makefile follows lib.mk" "^include \.\./lib\.mk$" "$k/Makefile"
	check_grep "... and names its test program" "^TEST_PROGS := dmabench_test\.sh$" "$k/Makefile"
	check "the test program is executable" test -x "$k/dmabench_test.sh"
	check_grep "settings give it a timeout" "^timeout=[0-9]+$" "$k/settings"
	check "it is POSIX sh (a target's busybox runs it)" sh -n "$k/dmabench_test.sh"
	check "its measurement config parses" "$RUNNER" config "$k/quick.ini"
	# here: no /dev/dmabench, no module beside it, none to modprobe
	mkdir -p "$T/ksft-host"
	cp "$k/dmabench_test.sh" "$k/quick.ini" "$T/ksft-host/"
	cp "$RUNNER" "$T/ksft-host/dmabench"
	out=$("$T/ksft-host/dmabench_test.sh" 2>&1)
	rc=$?
	check_eq "without the module it skips (exit 4)" 4 "$rc"
	check_eq "... in KTAP, saying why" "KTAP version 1|1..0 # SKIP dmabench.ko is neither loaded, beside this test, nor installed" \
		"$(printf '%s\n' "$out" | paste -sd'|')"
}

# kselftest_tests KERNEL_ID: install from the scratch tree, run in guests.
kselftest_tests() {
	local kid=$1 tree st i=$T/ksft-install m d rc
	echo "# kselftest: installed from a kernel tree, run in guests"
	tree=$("$TOP/tests/kernel-tree.sh") || { fail "the scratch kernel tree is there" "tests/kernel-tree.sh failed"; return; }
	st=$tree/tools/testing/selftests
	rm -rf "$st/dmabench"
	cp -r "$TOP/kselftest/dmabench" "$st/dmabench"
	make -C "$st" TARGETS=dmabench DMABENCH="$TOP" DMABENCH_KO="$CACHE/modules/$kid/dmabench.ko" \
		KSFT_INSTALL_PATH="$i" install >"$T/ksft-make.out" 2>&1
	rc=$?
	rm -rf "$st/dmabench"
	check_eq "make -C tools/testing/selftests TARGETS=dmabench install exits 0" 0 "$rc"
	[ $rc -eq 0 ] || { tail -n 10 "$T/ksft-make.out"; return; }
	check_eq "the install lists the test" "dmabench:dmabench_test.sh" "$(cat "$i/kselftest-list.txt")"
	check "... with run_kselftest.sh, the runner and the module beside the test" \
		test -x "$i/run_kselftest.sh" -a -x "$i/dmabench/dmabench_test.sh" -a -x "$i/dmabench/dmabench" \
		-a -s "$i/dmabench/dmabench.ko" -a -s "$i/dmabench/settings"
	tar -C "$i" -cf "$T/ksft.tar" .
	for m in direct strict; do
		d=$T/ksft-guest/$m
		"$TOP/harness/boot.sh" --accel tcg-icount --job "$TOP/tests/guest/kselftest.sh" \
			--file "$T/ksft.tar" --timeout 600 "$kid" "$m" "$d" >"$T/ksft-boot.out" 2>&1
		rc=$?
		check_eq "$m: the guest ran run_kselftest.sh" 0 "$rc"
		[ $rc -eq 0 ] || { tail -n 15 "$T/ksft-boot.out"; continue; }
		check_eq "$m: kselftest's verdict: ok" "ok 1 selftests: dmabench: dmabench_test.sh" \
			"$(grep -E '^(not )?ok 1 ' "$d/ksft.txt")"
		check_eq "$m: ... and run_kselftest.sh exits 0" 0 "$(cat "$d/ksft.rc")"
		check_grep "$m: the test's own KTAP is nested in it, five results planned" "^# 1\.\.5$" "$d/ksft.txt"
		check_eq "$m: ... all five ok" 5 "$(grep -cE '^# ok [1-5] ' "$d/ksft.txt")"
		check_grep "$m: it checked the detected mode" "^# ok 2 detected_mode_$m$" "$d/ksft.txt"
		check_eq "$m: ... its diagnostic just before it, as KTAP has them" "# # detected: $m" \
			"$(grep -B1 "^# ok 2 detected_mode_$m$" "$d/ksft.txt" | head -n 1)"
		check_grep "$m: it ran the module's own checks" "^# # selftest: ([0-9]+) of \\1 checks passed$" "$d/ksft.txt"
		check_eq "$m: expecting another mode, the test fails" \
			"not ok 1 selftests: dmabench: dmabench_test.sh # exit=1" \
			"$(grep -E '^(not )?ok 1 ' "$d/ksft-wrong.txt")"
		check_grep "$m: ... naming the mode check" "^# not ok 2 detected_mode_swiotlb$" "$d/ksft-wrong.txt"
	done
}
