# SPDX-License-Identifier: GPL-2.0
# The suite's own machinery (tests/lib.sh): lanes that run beside each
# other must bring every pass and failure home, a lane that dies must
# count as a failure, and the timing table must name the slow parts. Builds
# side by side in one build root (harness/lib.sh) keep its /proc mounted
# until the last one leaves.
# Sourced by tests/run.sh; the lanes run in a child shell.

suite_tests() {
	local d=$T/suite out
	echo "# the suite itself: lanes and the timing table"
	mkdir -p "$d"
	cat >"$d/child.sh" <<'CHILD'
. "$1/tests/lib.sh"
T=$2
SUITE_T0=${EPOCHREALTIME/./}
two() { pass "a1"; fail "a2" "why"; timed "inner part" sleep 0.2; sleep 0.1; }
one() { pass "b1"; }
dies() { pass "c1"; exit 3; }
lane a two
lane b one
lane c dies
pass "main"
lane_join a b c
timing_table
summary
CHILD
	bash "$d/child.sh" "$TOP" "$d" >"$d/out" 2>&1
	check_eq "lanes: a lane's failure fails the whole suite (exit 1)" 1 $?
	out=$d/out
	check_eq "lanes: every pass and failure of every lane is counted, a dead lane is a failure" \
		"3 passed, 2 failed" "$(tail -n 1 "$out")"
	check_eq "lanes: each lane's output is printed whole, in the order joined" \
		"ok     a1|not ok a2|ok     b1|ok     c1|not ok lane c ran to its end" \
		"$(grep -E '^(ok|not ok) +[a-c]|^not ok lane' "$out" | paste -sd'|')"
	check_grep "timing: the table names a lane's inner part, in seconds and share" \
		'^#   inner part +[0-9]+\.[0-9] s +[0-9]+\.[0-9] %$' "$out"
	check_grep "timing: ... and the lanes themselves" '^#   lane a \(in all\) +[0-9.]+ s' "$out"
	check_eq "timing: the slowest part comes first" "lane a (in all)" \
		"$(sed -n '/^# time:/{n;p}' "$out" | sed 's/^#   //; s/ \{2,\}.*//')"

	# A bare 'wait' in the foreground lane must wait for its own children
	# only: the background lane goes on only once the foreground one has
	# passed its wait (bounded, so that the broken case ends in a failure).
	cat >"$d/wait.sh" <<'CHILD'
. "$1/tests/lib.sh"
T=$2
SUITE_T0=${EPOCHREALTIME/./}
behind() {
	local n=0
	until [ -e "$T/../go" ]; do
		n=$((n + 1))
		[ $n -lt 300 ] || { fail "the foreground lane's wait returned"; return; }
		sleep 0.1
	done
	pass "the foreground lane's wait returned"
}
front() { sleep 0.1 & wait; touch "$T/../go"; pass "front"; }
lane behind behind
lane_fg front front
lane_join behind
summary
CHILD
	bash "$d/wait.sh" "$TOP" "$d/w" >"$d/wait.out" 2>&1
	check_eq "lanes: a bare wait in the foreground lane does not wait for a lane beside it" \
		"2 passed, 0 failed" "$(tail -n 1 "$d/wait.out")"
	build_root_lock_tests
}

# Two builds in one (fake) root: the first to leave must not unmount /proc
# under the other (objtool fails without it); the last one unmounts; a
# change to the root waits for both.
build_root_lock_tests() {
	local r=$T/suite/root n=0
	[ "$(id -u)" = 0 ] || { echo "# build roots: skipped, mounting /proc needs root"; return; }
	mkdir -p "$r/proc"
	bash -c '. "$1/harness/lib.sh"; use_build_root "$2"; touch "$2/a-in"
		n=0; until [ -e "$2/a-go" ] || [ $n -ge 300 ]; do n=$((n + 1)); sleep 0.1; done
		release_build_root "$2"' _ "$TOP" "$r" &
	until [ -e "$r/a-in" ] || [ $n -ge 300 ]; do n=$((n + 1)); sleep 0.1; done
	check "build roots: the first build mounted the root's /proc" mountpoint -q "$r/proc"
	bash -c '. "$1/harness/lib.sh"; use_build_root "$2"; mountpoint -q "$2/proc" || exit 3
		release_build_root "$2"' _ "$TOP" "$r"
	check_eq "build roots: a second build beside it runs, /proc mounted" 0 $?
	check "build roots: ... and leaving first, it leaves /proc to the other" mountpoint -q "$r/proc"
	check_eq "build roots: a change to the root waits while a build runs" 1 \
		"$(flock -n -x "$r/.dmabench-build.lock" true; echo $?)"
	touch "$r/a-go"
	wait
	check "build roots: the last build to leave unmounts /proc" eval "! mountpoint -q '$r/proc'"
	check_eq "build roots: ... and the root is free for a change" 0 \
		"$(flock -n -x "$r/.dmabench-build.lock" true; echo $?)"
	umount "$r/proc" 2>/dev/null || true
}
