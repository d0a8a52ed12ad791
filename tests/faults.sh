# SPDX-License-Identifier: GPL-2.0
# Faults and bad input, in guests: unbind under a running request and under
# an open file, rebind, rmmod while open, two runs at once, the module's
# deadline, an allocation no page allocator can give, swiotlb exhaustion
# with a tiny pool, and 10,000 fuzzed requests. Sourced.

# faults_dmesg NAME DIR: no oops, BUG or WARN in the guest's kernel log.
faults_dmesg() {
	if [ ! -s "$2/dmesg.log" ]; then
		fail "$1: kernel log is clean" "no kernel log came back from the guest"
	elif grep -qE 'Oops|BUG:|WARNING:|general protection|Call Trace|leak' "$2/dmesg.log"; then
		fail "$1: kernel log is clean" "$(grep -E 'Oops|BUG:|WARNING:|Call Trace|leak' "$2/dmesg.log" | head -3)"
	else
		pass "$1: kernel log is clean"
	fi
}

# faults_boot KERNEL MODE DIR JOB [BOOT OPTIONS...]
faults_boot() {
	local k=$1 m=$2 d=$3 job=$4
	shift 4
	"$TOP/harness/boot.sh" --accel tcg-icount --job "$job" --timeout 600 "$@" \
		"$k" "$m" "$d" >"$d.boot.out" 2>&1
	echo $? >"$d.boot.rc"
}

# faults_unbind_checks NAME DIR: what tests/guest/faults.sh left.
faults_unbind_checks() {
	local n=$1 d=$2
	check_eq "$n: guest ran the fault job" 0 "$(cat "$d.boot.rc")"
	[ "$(cat "$d.boot.rc")" = 0 ] || { tail -n 15 "$d.boot.out"; return; }
	echo "# $n: a second RUN met the long one after $(cat "$d/second-tries.txt") tries"
	check_eq "$n: a second RUN while one measures is refused" 1 "$(cat "$d/second.rc" 2>/dev/null)"
	check_grep "$n: ... with EBUSY, in words" "EBUSY.*another request is measuring" "$d/second.txt"
	check_eq "$n: unbind while a run is in flight returns" 0 "$(cat "$d/unbind-inflight.rc")"
	check_eq "$n: the run in flight fails" 1 "$(cat "$d/inflight.rc")"
	check_grep "$n: ... with ENODEV, in words" "ENODEV.*the device was unbound or the module is going away" "$d/inflight.txt"
	check_eq "$n: the node is gone after unbind" no "$([ -e "$d/node-after-unbind.txt" ] && echo yes || echo no)"
	check_eq "$n: rebind works" "0 0" "$(cat "$d/rebind1.rc") $(cat "$d/rebind2.rc")"
	check_grep "$n: a new run after rebind measures" "^ok: api page, 64 ops" "$d/after-rebind1.txt"
	check_eq "$n: a file open across unbind: its RUN fails" 1 "$(cat "$d/open-unbind.rc")"
	check_grep "$n: ... INFO on it with ENODEV, in words" "INFO failed \(ENODEV\): the device was unbound" "$d/open-unbind.txt"
	check_grep "$n: ... RUN on it with ENODEV, in words" "RUN failed \(ENODEV\): the device was unbound" "$d/open-unbind.txt"
	check_eq "$n: rmmod with that file still open is refused" 1 "$(cat "$d/rmmod-open-unbound.rc")"
	check_eq "$n: rmmod while the node is open (bound) is refused" 1 "$(cat "$d/rmmod-open.rc")"
	check_grep "$n: ... as busy" "Resource temporarily unavailable|in use|busy" "$d/rmmod-open.txt"
	check_eq "$n: ... and the open file still measures" 0 "$(cat "$d/open-rmmod.rc")"
	check_eq "$n: a run past max_run_ms stops" 1 "$(cat "$d/deadline.rc")"
	check_grep "$n: ... with ETIMEDOUT and the ops it completed" \
		"ETIMEDOUT.*after [1-9][0-9]* of 64000000 measured ops" "$d/deadline.txt"
	echo "# $n: $(sed 's/^dmabench: error: //' "$d/deadline.txt")"
	check_eq "$n: a request's own deadline_ms stops it under the module's 600000 ms" 1 "$(cat "$d/own.rc")"
	check_grep "$n: ... with ETIMEDOUT, naming both budgets" \
		"ETIMEDOUT.*the request's deadline_ms, or the module's max_run_ms.*after [1-9][0-9]* of 64000000" "$d/own.txt"
	check_eq "$n: a deadline_ms longer than max_run_ms does not extend it" 1 "$(cat "$d/longer.rc")"
	check_grep "$n: ... the module's 300 ms stop it" "ETIMEDOUT.*after [1-9][0-9]* of 64000000" "$d/longer.txt"
	check_eq "$n: a buffer no page allocation can hold fails" 1 "$(cat "$d/alloc.rc")"
	check_grep "$n: ... as the module's own memory, not the DMA layer" \
		"could not allocate its own memory.*ENOMEM.*not a DMA mapping failure" "$d/alloc.txt"
	check_grep "$n: the last request measures" "^ok: api page, 64 ops" "$d/final.txt"
	check_eq "$n: the module unloads at the end" 0 "$(cat "$d/rmmod.rc")"
	faults_dmesg "$n" "$d"
}

# faults_exhaust_checks NAME DIR: swiotlb=64, a batch larger than the pool.
faults_exhaust_checks() {
	local n=$1 d=$2
	check_eq "$n: guest ran the exhaustion job" 0 "$(cat "$d.boot.rc")"
	[ "$(cat "$d.boot.rc")" = 0 ] || { tail -n 15 "$d.boot.out"; return; }
	check_grep "$n: the kernel booted with the tiny pool" "swiotlb=64" "$d/dmesg.log"
	check_eq "$n: 1024 x 4 KiB at once fails" 1 "$(cat "$d/exhaust.rc")"
	check_grep "$n: ... naming what ran out" "ENOSPC.*the swiotlb bounce pool ran out of slots" "$d/exhaust.txt"
	echo "# $n: $(sed 's/^dmabench: error: //' "$d/exhaust.txt")"
	check_eq "$n: no bounce slot is left in use" "0 0" "$(cat "$d/tlb-before.txt") $(cat "$d/tlb-after.txt")"
	check_grep "$n: a batch that fits measures afterwards" "^ok: api page, 32 ops.*in_swiotlb=1" "$d/after-exhaust.txt"
	check_eq "$n: the module unloads" 0 "$(cat "$d/rmmod.rc")"
	faults_dmesg "$n" "$d"
}

# faults_fuzz_checks NAME DIR MODE: dmabench fuzz's count and its aftermath.
faults_fuzz_checks() {
	local n=$1 d=$2 mode=$3 before after
	check_eq "$n: guest ran the fuzz job" 0 "$(cat "$d.boot.rc")"
	[ "$(cat "$d.boot.rc")" = 0 ] || { tail -n 15 "$d.boot.out"; return; }
	echo "# $n: $(grep '^fuzz: [0-9]' "$d/fuzz.txt")"
	check_eq "$n: every answer documented, every result consistent" 0 "$(cat "$d/fuzz.rc")"
	check_grep "$n: 10000 requests were sent" "^fuzz: 10000 requests, seed 1: .*undocumented 0, inconsistent 0" "$d/fuzz.txt"
	check_grep "$n: some of them measured" "^fuzz: 10000 requests.* ok [1-9]" "$d/fuzz.txt"
	before=$(sed -n 's/^fuzz: reference before: //p' "$d/fuzz.txt")
	after=$(sed -n 's/^fuzz: reference after: //p' "$d/fuzz.txt")
	# dma-direct's path does not depend on state: exactly the same
	# instructions. An IOVA allocator's or a bounce pool's state moves.
	echo "# $n: reference before $before, after $after"
	[ "$mode" = direct ] &&
		check_eq "$n: the reference request measures exactly as before" "$before" "$after"
	[ "$mode" = swiotlb ] &&
		check_eq "$n: no bounce slot left in use" "0 0" "$(cat "$d/tlb-before.txt") $(cat "$d/tlb-after.txt")"
	check_eq "$n: no buffer page of the module left allocated" "0 0" \
		"$(cat "$d/pages-before.txt") $(cat "$d/pages-after.txt")"
	echo "# $n: MemFree $(awk '/^MemFree:/ { print $2 }' "$d/meminfo-before.txt") kB before, $(awk '/^MemFree:/ { print $2 }' "$d/meminfo-after.txt") kB after (not asserted: moves by tens of MiB between reads); Slab $(awk '/^Slab:/ { print $2 }' "$d/meminfo-before.txt") -> $(awk '/^Slab:/ { print $2 }' "$d/meminfo-after.txt") kB"
	check_eq "$n: the module unloads afterwards" 0 "$(cat "$d/rmmod.rc")"
	faults_dmesg "$n" "$d"
}

# faults_early_panic_checks DIR: a guest kernel that panics before the
# guest's init ran is booted once more, then reported as the panic it is.
faults_early_panic_checks() {
	local d=$1
	check_eq "a kernel that panics while booting: booted once more, then exit 1 naming the panic" "1 1 1" \
		"$(grep -c 'died while booting, before the job began.*booting it once more' "$d/early-panic.out") $(grep -c 'the guest kernel panicked' "$d/early-panic.out") $(ls "$d/early-panic" | grep -c '^console.first-boot.log$')"
}

# faults_tests KERNEL_6.12 KERNEL_7.x: two guests at a time.
faults_tests() {
	local kb=$1 ka=$2 d=$T/faults
	echo "# faults: unbind, rmmod, concurrency, deadline, exhaustion, fuzz"
	mkdir -p "$d"
	faults_boot "$ka" direct "$d/unbind-$ka" "$TOP/tests/guest/faults.sh" &
	faults_boot "$kb" strict "$d/unbind-$kb" "$TOP/tests/guest/faults.sh" &
	wait
	faults_boot "$kb" swiotlb "$d/exhaust-$kb" "$TOP/tests/guest/faults.sh" --append swiotlb=64 &
	faults_boot "$ka" swiotlb "$d/exhaust-$ka" "$TOP/tests/guest/faults.sh" --append swiotlb=64 &
	wait
	faults_boot "$ka" direct "$d/fuzz-$ka" "$TOP/tests/guest/fuzz.sh" &
	faults_boot "$kb" swiotlb "$d/fuzz-$kb" "$TOP/tests/guest/fuzz.sh" &
	# a kernel that dies before the guest's init runs (no init to run)
	"$TOP/harness/boot.sh" --accel tcg-icount \
		--append 'rdinit=/nonexistent init=/nonexistent' --timeout 300 "$ka" direct \
		"$d/early-panic" >"$d/early-panic.out" 2>&1 &
	wait
	faults_early_panic_checks "$d"
	faults_unbind_checks "$ka direct faults" "$d/unbind-$ka"
	faults_unbind_checks "$kb strict faults" "$d/unbind-$kb"
	faults_exhaust_checks "$kb swiotlb=64" "$d/exhaust-$kb"
	faults_exhaust_checks "$ka swiotlb=64" "$d/exhaust-$ka"
	faults_fuzz_checks "$ka direct fuzz" "$d/fuzz-$ka" direct
	faults_fuzz_checks "$kb swiotlb fuzz" "$d/fuzz-$kb" swiotlb
}

# nudge_host_tests: harness/icount-nudge.py against a fake QMP server, the
# way boot.sh runs it beside a two-vCPU icount guest: nothing while the
# output grows, then 'stop' and 'cont' once it has been quiet, and it ends
# with QEMU. Quiet time 1 s instead of 30. Not again in the sanitizer
# pass: it runs no dmabench code, and it times host sleeps, which that
# pass's load (guests on both cores) could stretch.
nudge_host_tests() {
	local d=$T/nudge qpid npid spid
	[ -n "${DMABENCH_NESTED:-}" ] && return
	echo "# the icount nudge, against a fake QMP server"
	mkdir -p "$d"
	: >"$d/console.log"
	python3 - "$d/qmp.sock" "$d/commands" <<'PY' &
import json, socket, sys
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(sys.argv[1]); srv.listen(1)
with open(sys.argv[2], "w") as log:
    while True:
        conn, _ = srv.accept()
        f = conn.makefile("r")
        conn.sendall(b'{"QMP": {"version": {}, "capabilities": []}}\n')
        for line in f:
            cmd = json.loads(line)["execute"]
            log.write(cmd + "\n"); log.flush()
            if cmd == "stop":  # an event before the answer, as QEMU sends
                conn.sendall(b'{"event": "STOP", "timestamp": {}}\n')
            conn.sendall(b'{"return": {}}\n')
        conn.close()
PY
	spid=$!
	sleep 1000 & qpid=$!
	DMABENCH_NUDGE_QUIET=1 python3 "$TOP/harness/icount-nudge.py" "$d/qmp.sock" "$qpid" \
		"$d/nudge.log" "$d/console.log" & npid=$!
	for _ in 1 2 3 4 5 6 7 8; do echo growing >>"$d/console.log"; sleep 0.2; done
	check_eq "no nudge while the guest's output grows" "" "$(cat "$d/commands" 2>/dev/null)"
	sleep 2
	check_eq "quiet for its time: 'stop' then 'cont', over QMP" "qmp_capabilities stop cont" \
		"$(head -n 3 "$d/commands" | tr '\n' ' ' | sed 's/ $//')"
	check_grep "... and a line in its log" "no guest output for 1 s: stopped and continued the VM" "$d/nudge.log"
	kill "$qpid"; wait "$qpid" 2>/dev/null
	sleep 1
	check_eq "it ends when QEMU ends" gone "$(kill -0 "$npid" 2>/dev/null && echo running || echo gone)"
	kill "$npid" "$spid" 2>/dev/null; wait "$npid" "$spid" 2>/dev/null
}

# early_panic_host_tests: which guest deaths boot.sh boots again, on
# recorded consoles (tests/data/consoles): a double fault in kernel_init
# before the guest's init ran, and a sysrq crash in the middle of a job.
early_panic_host_tests() {
	local c=$TOP/tests/data/consoles d=$T/early-panic
	echo "# boot.sh: a guest kernel that died while booting is booted once more"
	mkdir -p "$d"
	: >"$d/empty"
	echo "frame" >"$d/channel"
	(. "$TOP/harness/lib.sh" && panicked_before_job "$c/early-double-fault.log" "$d/empty")
	check_eq "a panic before the guest's init said anything, nothing on the channel: booted again" 0 $?
	(. "$TOP/harness/lib.sh" && panicked_before_job "$c/early-double-fault.log" "$d/channel")
	check_eq "... not when the channel got anything" 1 $?
	(. "$TOP/harness/lib.sh" && panicked_before_job "$c/sysrq-midrun.log" "$d/empty")
	check_eq "a panic once the init ran (the job's own, or the module's): never" 1 $?
	grep -v 'Kernel panic' "$c/early-double-fault.log" >"$d/no-panic.log"
	(. "$TOP/harness/lib.sh" && panicked_before_job "$d/no-panic.log" "$d/empty")
	check_eq "a console without a panic: not booted again" 1 $?
	check_grep "boot.sh asks before judging the guest, once, not under --gdb" \
		'if \[ \$rc -eq 0 \] && \[ -z "\$gdb_port" \] && panicked_before_job' "$TOP/harness/boot.sh"
}
