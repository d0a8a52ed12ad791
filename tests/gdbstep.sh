# SPDX-License-Identifier: GPL-2.0
# Ground truth for net figures: a direct-mode guest under tcg-icount with
# QEMU's gdbstub (harness/boot.sh --gdb), its timed loops single-stepped by
# gdb (tests/gdbstep.py) in the same boot whose run reports the net figures.
# For every API, map and unmap: steps of the API's region between counter
# reads minus its twin loop's equal the net instructions per op, and so do
# the steps inside the calls (entry to return) for APIs whose timed slot is
# one out-of-line call. Sourced by tests/run.sh.

# APIs whose slot is one out-of-line call with its arguments: there the
# steps inside the call minus the twin's are the whole net figure. The rest
# run inline code of their own first (single: virt_to_page; roundtrip:
# phys_to_page; sync: the need-sync test), which stays in their figure.
GDBSTEP_CALL_ONLY="page:map page:unmap phys:map phys:unmap resource:map
resource:unmap sg:map sg:unmap roundtrip:unmap single:unmap"

gdbstep_free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# gdbstep_kill PID: PID and its descendants (the boot, its timeout, QEMU).
gdbstep_kill() {
	local c
	for c in $(ps -o pid= --ppid "$1" 2>/dev/null); do gdbstep_kill "$c"; done
	kill "$1" 2>/dev/null
}

# gdbstep_tests KERNEL_RELEASE HAS_PHYS
gdbstep_tests() {
	local kver=$1 has_phys=$2 d port bpid rc grc apis loops a op r s t c ct net name
	d=$T/gdbstep/$kver
	mkdir -p "$d"
	echo "# gdb: $kver direct, single-stepped against its own net figures"
	if ! command -v gdb >/dev/null; then
		fail "$kver: gdb is installed (apt-get install gdb)"
		return
	fi
	apis="page roundtrip single sg resource sync"
	[ "$has_phys" = 1 ] && apis="$apis phys"
	loops=
	for a in $apis; do loops="$loops $a ${a}_twin"; done
	port=$(gdbstep_free_port)
	"$TOP/harness/boot.sh" --accel tcg-icount --gdb "$port" \
		--config "$TOP/tests/configs/gdbstep.ini" --job "$TOP/tests/guest/gdbstep.sh" \
		--timeout 900 "$kver" direct "$d" >"$d/boot.out" 2>&1 &
	bpid=$!
	GDBSTEP_PORT=$port GDBSTEP_CONSOLE=$d/console.log GDBSTEP_OUT=$d/steps.json \
		GDBSTEP_LOOPS=$loops GDBSTEP_WAIT=600 \
		timeout --kill-after=10 900 gdb -nx -batch -x "$TOP/tests/gdbstep.py" \
		>"$d/gdb.out" 2>&1
	grc=$?
	[ $grc -eq 0 ] || gdbstep_kill "$bpid"
	wait "$bpid"
	rc=$?
	check_eq "$kver: gdb attached and stepped every loop" 0 "$grc"
	[ $grc -eq 0 ] || { tail -n 5 "$d/gdb.out" | sed 's/^/       /'; return; }
	check_eq "$kver: the stepped guest's run completes" 0 "$rc"
	[ $rc -eq 0 ] || { tail -n 10 "$d/boot.out" | sed 's/^/       /'; return; }
	r=$d/gdbstep.json
	s=$d/steps.json
	check_eq "$kver: each stepped loop repeats itself op after op" true \
		"$(jq '[.[] | .steady] | all' "$s")"
	for a in $apis; do
		for op in map unmap; do
			name="$kver $a $op"
			net=$(jq -r ".cells[] | select(.api == \"$a\") | .${op}_instructions_per_op_net" "$r")
			t=$(jq -r ".$a.$op.steps - .${a}_twin.$op.steps" "$s")
			c=$(jq -r ".$a.$op.call_steps" "$s")
			ct=$(jq -r ".${a}_twin.$op.call_steps" "$s")
			printf '       %s: steps in calls %s (%s), in its twin %s (%s); region - twin region %s; net %s\n' \
				"$name" "$c" "$(jq -r ".$a.$op.callees | join(\",\")" "$s")" "$ct" \
				"$(jq -r ".${a}_twin.$op.callees | join(\",\")" "$s")" "$t" "$net"
			check_eq "$name: steps between counter reads minus the twin's == net" \
				"$(jq -n "$net")" "$(jq -n "$t")"
			case " ${GDBSTEP_CALL_ONLY//$'\n'/ } " in
			*" $a:$op "*)
				check_eq "$name: steps in the call minus in its twin == net" \
					"$(jq -n "$net")" "$(jq -n "$c - $ct")" ;;
			*)
				echo "       $name: inline part (net - call difference): $(jq -n "$net - ($c - $ct)")" ;;
			esac
		done
	done
	# An empty function: the patched-out __fentry__ call and the return,
	# plus one instruction to load a return value where there is one.
	# Called at all: GCC drops calls to empty functions it can see into.
	check_eq "$kver: every null twin runs the same N or N + 1 instructions, N > 0" true \
		"$(jq '[to_entries[] | select(.key | endswith("_twin")) | .value.map.call_steps, .value.unmap.call_steps] | unique | length <= 2 and max - min <= 1 and min > 0' "$s")"
	echo "       $kver: steps inside a null twin: map $(jq '.page_twin.map.call_steps' "$s"), unmap $(jq '.page_twin.unmap.call_steps' "$s"), sync $(jq '.sync_twin.map.call_steps' "$s")"
}
