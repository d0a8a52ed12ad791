# SPDX-License-Identifier: GPL-2.0
# Assertions for tests/*.sh: each prints one "ok" or "not ok" line.
PASSED=0
FAILED=0

pass() { PASSED=$((PASSED + 1)); printf 'ok     %s\n' "$1"; }
fail() { FAILED=$((FAILED + 1)); printf 'not ok %s\n' "$1"; [ -z "${2:-}" ] || printf '       %s\n' "$2"; }

# check NAME COMMAND...: passes when COMMAND succeeds.
check() {
	local name=$1
	shift
	if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name" "failed: $*"; fi
}

# check_eq NAME WANT GOT
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want '$2', got '$3'"; fi
}

# check_grep NAME PATTERN FILE
check_grep() {
	if grep -qE -- "$2" "$3" 2>/dev/null; then pass "$1"
	else fail "$1" "no /$2/ in $3: $(head -c 300 "$3" 2>/dev/null)"; fi
}

summary() {
	echo
	echo "$PASSED passed, $FAILED failed"
	[ "$FAILED" -eq 0 ]
}

# check_fgrep NAME STRING FILE: a fixed string, no regex
check_fgrep() {
	if grep -qF -- "$2" "$3" 2>/dev/null; then pass "$1"
	else fail "$1" "no '$2' in $3"; fi
}

# timed NAME COMMAND...: runs COMMAND in this shell (its passes and fails
# count) and records how long it took, for timing_table.
TIMINGS=
# in_build_root ROOT CMD...: CMD with ROOT's /proc mounted, beside the
# harness's builds in that root (harness/lib.sh's use_build_root).
in_build_root() {
	bash -c '. "$0/harness/lib.sh"; root=$1; shift
		use_build_root "$root"; trap "release_build_root \"\$root\"" EXIT
		"$@"' "$TOP" "$@"
}

timed() {
	local name=$1 t0 t1 rc
	shift
	t0=${EPOCHREALTIME/./}
	"$@"
	rc=$?
	t1=${EPOCHREALTIME/./}
	TIMINGS+="$(( (t1 - t0) / 1000 )) $name"$'\n'
	return $rc
}

# timing_table [N]: the slowest parts, at least N (default 15) and every
# part of 1 % or more, their seconds and their share of the whole suite,
# as diagnostics before the summary.
timing_table() {
	local most=${1:-15} total
	[ -n "$TIMINGS" ] || return 0
	total=$(( (${EPOCHREALTIME/./} - SUITE_T0) / 1000 ))
	[ "$total" -gt 0 ] || total=1
	awk -v t="$total" 'BEGIN { printf "\n# time: %.1f s in all; the slowest parts (lanes overlap):\n", t / 1000 }'
	printf '%s' "$TIMINGS" | sort -rn |
		awk -v total="$total" -v most="$most" 'NR > most && 100 * $1 / total < 1 { exit }
			{ ms = $1; sub(/^[0-9]+ /, "")
			printf "#   %-46s %7.1f s %5.1f %%\n", $0, ms / 1000, 100 * ms / total }'
}

# lane NAME FUNCTION ARGS...: run FUNCTION in the background with its
# own scratch folder ($T/lane-NAME) and its own log; lane_join brings its
# output, passes, fails and timings home. Guests under tcg-icount count
# the same whatever else runs, so independent groups share the two cores.
LANES=
lane() {
	local name=$1
	shift
	mkdir -p "$T/lane-$name"
	lane_body "$name" "$@" >"$T/lane-$name.log" 2>&1 &
	LANES+="$name:$! "
	echo "# lane $name: started in the background (log: $T/lane-$name.log)"
}

# lane_fg NAME FUNCTION ARGS...: the same in the foreground, its output
# shown as it comes. A subshell of its own all the same: a bare 'wait' in
# FUNCTION then waits for FUNCTION's own children, not for the lanes
# running beside it.
lane_fg() {
	local name=$1
	shift
	mkdir -p "$T/lane-$name"
	lane_body "$name" "$@"
	lane_count "$name"
}

# lane_body NAME FUNCTION ARGS...: a subshell that counts on its own and
# leaves its counts and timings in $T/lane-NAME.
lane_body() {
	local name=$1
	shift
	(
		T=$T/lane-$name PASSED=0 FAILED=0 TIMINGS=
		timed "lane $name (in all)" "$@"
		printf '%s %s\n' "$PASSED" "$FAILED" >"$T/counts"
		printf '%s' "$TIMINGS" >"$T/timings"
	)
}

# lane_count NAME: add a finished lane's counts and timings to this shell's.
lane_count() {
	local d=$T/lane-$1 p f
	if [ -s "$d/counts" ] && read -r p f <"$d/counts"; then
		PASSED=$((PASSED + p)) FAILED=$((FAILED + f))
		TIMINGS+=$(cat "$d/timings")$'\n'
	else
		fail "lane $1 ran to its end" "it left no counts: see its log above"
	fi
}

# lane_wait NAME...: inside a lane, wait until those lanes (started
# before it) have left their counts, or ended without. Their output is
# still printed by the main shell's lane_join.
lane_wait() {
	local top=${T%/lane-*} name entry pid
	for name in "$@"; do
		pid=
		for entry in $LANES; do [ "${entry%%:*}" = "$name" ] && pid=${entry#*:}; done
		[ -n "$pid" ] || { fail "lane $name was started before this one"; continue; }
		while [ ! -e "$top/lane-$name/counts" ] && kill -0 "$pid" 2>/dev/null; do
			sleep 1
		done
	done
}

# lane_join NAME...: wait for those lanes, print each one's log, count.
lane_join() {
	local name entry pid
	for name in "$@"; do
		pid=
		for entry in $LANES; do [ "${entry%%:*}" = "$name" ] && pid=${entry#*:}; done
		[ -n "$pid" ] || { fail "lane $name was started"; continue; }
		wait "$pid"
		echo "# lane $name: finished"
		cat "$T/lane-$name.log"
		lane_count "$name"
	done
}
