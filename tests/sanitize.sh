# SPDX-License-Identifier: GPL-2.0
# The runner under AddressSanitizer and UndefinedBehaviorSanitizer (every
# host test again with build/runner/dmabench-san), and libFuzzer on the readers
# of outside input (config, result, frame), from the corpus in
# runner/fuzz/corpus for a fixed number of inputs and seed. Sourced by
# tests/run.sh; the nested run sets DMABENCH_NESTED so it does not recurse.

# fuzz runs per reader: the result reader builds a comparison with its
# bootstrap for each valid input, so it gets fewer
FUZZ_RUNS_config=20000
FUZZ_RUNS_frame=20000
FUZZ_RUNS_result=3000

sanitizer_tests() {
	local out n f runs
	[ -n "${DMABENCH_NESTED:-}" ] && return
	echo "# sanitizers: the host tests again under ASan and UBSan"
	if ! make -C "$TOP/runner" dmabench-san fuzzers >"$T/san-build.out" 2>&1; then
		fail "the sanitizer runner and the fuzzers build" "$(tail -n 5 "$T/san-build.out")"
		return
	fi
	pass "the sanitizer runner and the fuzzers build (-Werror)"
	# Leaks are not checked here: a subcommand that fails frees nothing on
	# its way to exit(). The fuzzers below check the readers for leaks.
	out=$(DMABENCH_NESTED=1 ASAN_OPTIONS=detect_leaks=0 UBSAN_OPTIONS=print_stacktrace=1 \
		RUNNER="$TOP/build/runner/dmabench-san" "$TOP/tests/run.sh" --host-only 2>&1)
	n=$(printf '%s\n' "$out" | tail -n1)
	check_grep "every host test passes with the sanitizer runner ($n)" "^[0-9]+ passed, 0 failed$" <(echo "$n")
	check_eq "... and no sanitizer reported anything" 0 \
		"$(printf '%s\n' "$out" | grep -c 'runtime error\|AddressSanitizer\|LeakSanitizer')"

	echo "# fuzzing: libFuzzer on the readers of outside input"
	for f in config result frame; do
		eval "runs=\$FUZZ_RUNS_$f"
		rm -rf "$T/fuzz-$f"
		cp -r "$TOP/runner/fuzz/corpus/$f" "$T/fuzz-$f"
		(cd "$T" && "$TOP/build/runner/fuzz/fuzz_$f" -runs="$runs" -seed=1 -max_len=16384 \
			"$T/fuzz-$f") >"$T/fuzz-$f.log" 2>&1
		check_eq "the $f reader: $runs inputs, no crash, leak or undefined behaviour" 0 $?
		grep -E '^Done [0-9]+ runs' "$T/fuzz-$f.log" | sed 's/^/# /'
		[ -n "$(ls "$T"/crash-* "$T"/leak-* 2>/dev/null)" ] && ls "$T"/crash-* "$T"/leak-* 2>/dev/null
	done
}
