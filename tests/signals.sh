# SPDX-License-Identifier: GPL-2.0
# Signals and a dying guest, on the host: SIGTERM to boot.sh, Ctrl-C
# (SIGINT) to a matrix in the middle of its second guest, a guest kernel
# that panics. Nothing half-written, no QEMU left behind, finished guests
# kept and served again. Sourced by tests/run.sh.

# until_true SECONDS CMD...: poll CMD every second; 1 if it never held.
# A bound on a wait, so that a broken harness fails the test instead of
# hanging it, not a timing claim.
until_true() {
	local n=$1
	shift
	while ! "$@" 2>/dev/null; do
		n=$((n - 1))
		[ "$n" -gt 0 ] || return 1
		sleep 1
	done
}

# reap PID SECONDS: PID's exit status, or 255 after killing it if it has
# not ended within SECONDS.
reap() {
	if until_true "$2" eval '! kill -0 '"$1"; then
		wait "$1"
	else
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		return 255
	fi
}

# no_process PATTERN: no process's command line matches PATTERN.
no_process() {
	! pgrep -f -- "$1" >/dev/null
}

# signal_tests KERNEL SUITE:SERIES SUITE:SERIES
signal_tests() {
	local k=$1 before=$2 after=$3 d=$T/signals pid rc qpid cfg
	echo "# signals: SIGTERM to boot.sh, Ctrl-C to a matrix, a guest that panics"
	mkdir -p "$d"
	"$TOP/harness/boot.sh" --accel tcg-icount --job "$TOP/tests/guest/panic.sh" --timeout 600 \
		"$k" direct "$d/panic" >"$d/panic.out" 2>&1 &
	local ppid=$!
	"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/tests/configs/midrun.ini" \
		--job "$TOP/tests/guest/panic-midrun.sh" --timeout 600 \
		"$k" direct "$d/midrun" >"$d/midrun.out" 2>&1 &
	local mpid=$!
	"$TOP/harness/boot.sh" --accel tcg-icount --job "$TOP/tests/guest/hang.sh" --timeout 600 \
		"$k" direct "$d/term" >"$d/term.out" 2>&1 &
	pid=$!
	# QEMU is up once the guest has written to its console.
	until_true 300 test -s "$d/term/console.log"
	qpid=$(pgrep -f -- "file:$d/term/console.log")
	check "boot.sh's QEMU runs the hanging job" test -n "$qpid"
	kill -TERM "$pid"
	reap "$pid" 120
	check_eq "boot.sh stopped by SIGTERM exits 143" 143 $?
	check_grep "... saying what stopped it" "stopped by SIGTERM .*the guest was shut down; no result" "$d/term.out"
	check "... and its QEMU is gone" no_process "file:$d/term/console.log"
	check "... and no result was written" test ! -e "$d/term/direct.json"

	reap "$ppid" 600
	check_eq "a guest kernel that panics: boot.sh exits 1" 1 $?
	check_grep "... naming the panic and the console" "the guest kernel panicked .*console in" "$d/panic.out"
	check_grep "... which holds the panic" "Kernel panic - not syncing" "$d/panic/console.log"
	check "... and no QEMU is left" no_process "file:$d/panic/console.log"

	reap "$mpid" 600
	check_eq "a guest that panics in its third cell: boot.sh exits 1" 1 $?
	check_grep "... saying how many cells came home and where" \
		"2 of 3 cells were measured before the guest died: .*/midrun/direct.partial.json" "$d/midrun.out"
	check_eq "... the partial result: the run's head, its first two cells, measured, marked incomplete" \
		"false 3 2 first second ok ok 4 4 true" \
		"$(jq -r '[.complete, .cells_total, (.cells | length), .cells[].job, .cells[].status,
			(.cells[].samples.map | length), (.system.kernel_release | length > 0)] | map(tostring) | join(" ")' \
			"$d/midrun/direct.partial.json" 2>&1)"
	"$RUNNER" check "$d/midrun/direct.partial.json" >"$d/midrun.check" 2>&1
	check_eq "... which check refuses as incomplete (exit 1)" 1 $?
	check_grep "... saying so" "did not finish" "$d/midrun.check"

	# A matrix of two modes a side, one guest at a time; a comment line
	# makes the config (and so the cache key) this run's own.
	cfg=$d/two-modes.ini
	printf '; signals test %s\n[global]\nmodes = direct strict\napi = page\nsize = 4k\nbatch = 16\nbatches = 4\nwarmup = 1\npattern = pair\n' \
		"$(date +%s%N)" >"$cfg"
	"$RUNNER" matrix -j 1 -c "$cfg" -o "$d/m" -p "$d/mp" --timeout 600 "$before" "$after" \
		>"$d/m.log" 2>&1 &
	pid=$!
	until_true 600 test -s "$d/m/before/direct.json" -a -s "$d/m/before/.strict/console.log"
	check "matrix: the first guest finished and the second one runs" \
		test -s "$d/m/before/direct.json" -a -n "$(pgrep -f -- "file:$d/m/before/.strict/console.log")"
	kill -INT "$pid"
	reap "$pid" 120
	check_eq "matrix stopped by Ctrl-C (SIGINT) dies of it (exit 130)" 130 $?
	check_grep "... saying what it kept" "stopped by SIGINT \(Ctrl-C\): the running guests were shut down .*finished guests are kept" "$d/m.log"
	check "... no QEMU or boot.sh of it is left" no_process "$d/m/"
	check "... the finished guest's result is whole" jq -e '[.cells[] | .status == "ok"] | length > 0 and all' "$d/m/before/direct.json"
	check_eq "... the interrupted guest left neither result nor scratch folder" "" \
		"$(ls -A "$d/m/before" | grep -E '^(strict\.json|\.strict)$')"
	"$RUNNER" matrix -j 1 -c "$cfg" -o "$d/m" -p "$d/mp" --timeout 600 "$before" "$after" \
		>"$d/m2.log" 2>&1
	check_eq "the same matrix again completes (exit 0)" 0 $?
	check_grep "... serving the finished guest from the cache" " direct \(tcg-icount\): cached" "$d/m2.log"
	check_eq "... with both modes on both sides" 4 "$(ls "$d/m/before" "$d/m/after" | grep -cE '^(direct|strict)\.json$')"
}
