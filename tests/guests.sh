# SPDX-License-Identifier: GPL-2.0
# Real kernels, real module, real guests: one boot per kernel and mode with
# tests/guest/checks.sh, then assertions on what came home. Sourced.

# expect_flags MODE RESULT: the first mapping behaved as MODE says.
expect_flags() {
	local mode=$1 r=$2 eq sw
	eq=$(jq -r '[.cells[] | select(.api == "page") | .map_flags.dma_eq_phys] | unique | @csv' "$r")
	sw=$(jq -r '[.cells[] | select(.api == "page") | .map_flags.in_swiotlb] | unique | @csv' "$r")
	case $mode in
	direct) check_eq "$3: dma address == phys" "true" "$eq"
		check_eq "$3: not bounced" "false" "$sw" ;;
	strict|lazy) check_eq "$3: dma address is an IOVA, not phys" "false" "$eq"
		check_eq "$3: not bounced" "false" "$sw" ;;
	swiotlb) check_eq "$3: dma address lies in the swiotlb pool" "true" "$sw"
		check_eq "$3: dma address != phys" "false" "$eq" ;;
	esac
}

# counter_tests MODE RESULT NAME: tracepoints count every call, exactly.
counter_tests() {
	local mode=$1 r=$2 name=$3 page
	page='.cells[] | select(.api == "page" and .pattern == "pair")'
	check_eq "$name: no PMU: hardware counters say unavailable, not 0" '"unavailable"' \
		"$(jq -r "[$page | .counters | .cycles, .instructions] | unique | @csv" "$r")"
	check_eq "$name: software counters are counted" true \
		"$(jq "$page | .counters[\"context-switches\"].total >= 0" "$r")"
	# cpu-clock runs through the path hardware events take on a host with
	# a PMU: opened per measuring CPU, summed, divided by the calls.
	check_eq "$name: cpu-clock counts, and per_op is its total over the calls" "true true" \
		"$(jq -r "$page | .counters[\"cpu-clock\"] as \$e | [\$e.total > 0,
			((\$e.per_op * .calls - \$e.total) | fabs) < 1e-6 * \$e.total] | map(tostring) | join(\" \")" "$r")"
	case $mode in
	strict)
		check_eq "$name: iommu:unmap fires once per unmap" true \
			"$(jq "$page | .tracepoints[\"iommu:unmap\"].total == .calls" "$r")"
		check_eq "$name: iommu:map fires once per map" true \
			"$(jq "$page | .tracepoints[\"iommu:map\"].total == .calls" "$r")" ;;
	swiotlb)
		check_eq "$name: swiotlb bounces once per map" true \
			"$(jq "$page | .tracepoints[\"swiotlb:swiotlb_bounced\"].total == .calls" "$r")" ;;
	direct)
		check_eq "$name: neither IOMMU nor swiotlb is touched" "0 0" \
			"$(jq -r "$page | [.tracepoints[\"iommu:map\"].total, .tracepoints[\"swiotlb:swiotlb_bounced\"].total] | map(tostring) | join(\" \")" "$r")" ;;
	esac
	check_eq "$name: the dma: map tracepoint fires once per map" true \
		"$(jq "$page | (.tracepoints[\"dma:dma_map_page\"] // .tracepoints[\"dma:dma_map_phys\"]).total == .calls" "$r")"
}

# api_tests MODE DIR HAS_PHYS NAME: each API works, or says why not.
api_tests() {
	local mode=$1 d=$2 has_phys=$3 name=$4 a want got usable
	check_eq "$name: every API measured or unsupported, none failed" 0 "$(cat "$d/apis.rc")"
	for a in null page phys roundtrip single sg resource phys_mmio iova sync; do
		usable=$(jq -r ".apis[] | select(.api == \"$a\") | .usable" "$d/info.json")
		want=unsupported
		[ "$usable" = true ] && want=ok
		got=$(jq -r "[.cells[] | select(.api == \"$a\") | .status] | unique | join(\",\")" "$d/apis.json")
		check_eq "$name: $a is $want, as INFO says" "$want" "$got"
	done
	want=false
	[ "$has_phys" = 1 ] && case $mode in strict|lazy) want=true ;; esac
	check_eq "$name: the IOVA API is usable exactly with an IOMMU on 7.x" "$want" \
		"$(jq -r '.apis[] | select(.api == "iova") | .usable' "$d/info.json")"
	check_eq "$name: dma_map_phys with DMA_ATTR_MMIO exists exactly on 7.x" "$has_phys" \
		"$(jq -r '.apis[] | select(.api == "phys_mmio") | .supported | if . then 1 else 0 end' "$d/info.json")"
	check_eq "$name: sg with 8 entries is measured" ok \
		"$(jq -r '.cells[] | select(.job == "sg-8") | .status' "$d/apis.json")"
	check_eq "$name: straddling, pool, irqs-off and two-thread runs are measured" "ok ok ok ok" \
		"$(jq -r '[.cells[] | select(.job == "straddle" or .job == "pool" or .job == "irqs-off" or .job == "two-threads") | .status] | join(" ")' "$d/apis.json")"
	check_eq "$name: two threads do twice the ops, one sample per batch each" "true true" \
		"$(jq -r '.cells[] | select(.job == "two-threads") | [.ops == 2 * .batch * .batches, (.samples.map | length) == 2 * .batches] | map(tostring) | join(" ")' "$d/apis.json")"
	check "$name: the API matrix result is valid" "$RUNNER" check "$d/apis.json"
	# What single, resource and sync did, as measured: every op ran, each
	# costs more than nothing, and the first mapping behaved as the mode
	# says (a resource is MMIO: an IOVA under an IOMMU, never bounced).
	for a in single resource sync; do
		[ "$(jq -r ".cells[] | select(.api == \"$a\") | .status" "$d/apis.json" | head -n1)" = ok ] || continue
		check_eq "$name: $a ran every op and cost cycles" true \
			"$(jq "[.cells[] | select(.api == \"$a\") | .ops == .batch * .batches * (.threads // 1) and .calls >= .ops and .map_cycles_per_op > 0] | all" "$d/apis.json")"
	done
	if [ "$(jq -r '.cells[] | select(.api == "single") | .status' "$d/apis.json" | head -n1)" = ok ]; then
		check_eq "$name: single maps as page does in this mode" \
			"$(jq -c '[.cells[] | select(.api == "page") | .map_flags] | unique' "$d/apis.json")" \
			"$(jq -c '[.cells[] | select(.api == "single") | .map_flags] | unique' "$d/apis.json")"
	fi
	if [ "$(jq -r '.cells[] | select(.api == "resource") | .status' "$d/apis.json" | head -n1)" = ok ]; then
		want='{"dma_eq_phys":true,"in_swiotlb":false}'
		case $mode in strict|lazy) want='{"dma_eq_phys":false,"in_swiotlb":false}' ;; esac
		check_eq "$name: resource maps MMIO: $( [ "${want:15:4}" = true ] && echo 'the address itself' || echo 'an IOVA'), never bounced" \
			"[$want]" "$(jq -c '[.cells[] | select(.api == "resource") | .map_flags] | unique' "$d/apis.json")"
	fi
}

# size_tests MODE DIR NAME: 64 B .. 2 MiB, and what a mode cannot map.
size_tests() {
	local mode=$1 d=$2 name=$3 want
	check_eq "$name: the size sweep runs without errors" 0 "$(cat "$d/sizes.rc")"
	want='"ok"'
	[ "$mode" = swiotlb ] && want='"ok","unsupported"'
	check_eq "$name: sizes the mode cannot map are unsupported, not errors" "$want" \
		"$(jq -r '[.cells[] | select(.api == "page") | .status] | unique | @csv' "$d/sizes.json")"
	if [ "$mode" = swiotlb ]; then
		check_eq "$name: swiotlb refuses exactly the sizes above its limit" true \
			"$(jq --argjson max "$(jq .module.max_mapping_size "$d/sizes.json")" \
				'[.cells[] | select(.api == "page") | (.status == "ok") == (.size <= $max)] | all' "$d/sizes.json")"
	fi
}

# guest_tests KERNEL_RELEASE HAS_PHYS MODE...
guest_tests() {
	local kver=$1 has_phys=$2 mode d r rc name want
	shift 2
	for mode in "$@"; do
		name="$kver $mode"
		d=$T/guest/$kver/$mode
		echo "# guest: $name"
		"$TOP/harness/boot.sh" --config "$TOP/configs/quick.ini" \
			--file "$TOP/configs/apis.ini" --file "$TOP/configs/sizes.ini" \
			--job "$TOP/tests/guest/checks.sh" --timeout 600 \
			"$kver" "$mode" "$d" >"$T/boot.out" 2>&1
		rc=$?
		check_eq "$name: guest boots, runs the job, frames verified" 0 "$rc"
		if [ "$rc" -ne 0 ]; then
			sed 's/^/       /' "$T/boot.out" | tail -n 15
			continue
		fi
		r=$d/result.json
		check_eq "$name: module detects the requested mode" "$mode" "$(jq -r .mode "$d/info.json")"
		check_eq "$name: INFO says which counters work here" "false true true" \
			"$(jq -r '[.counters.timed.cycles, .counters.timed["context-switches"], .counters.tracepoints["iommu:map"]] | map(tostring) | join(" ")' "$d/info.json")"
		check_eq "$name: run exits 0" 0 "$(cat "$d/run.rc")"
		check "$name: result is complete and valid" "$RUNNER" check "$r"
		check_eq "$name: result records the kernel" "$kver" "$(jq -r .system.kernel_release "$r")"
		check_eq "$name: result records requested and detected mode" "$mode $mode" \
			"$(jq -r '.mode.requested + " " + .mode.detected' "$r")"
		check_eq "$name: result records accel, CPU, cmdline, mitigations" "tcg true true true" \
			"$(jq -r '[.system.accel, (.system.cpu_model | length > 0), (.system.kernel_cmdline | test("console=ttyS0")), (.system.mitigations | length > 0)] | map(tostring) | join(" ")' "$r")"
		check_eq "$name: result records the kernel's compiler (/proc/version)" true \
			"$(jq -r '.system.proc_version | test("^Linux version .* \\(.*gcc.*\\) #")' "$r")"
		check_grep "$name: ... and the report prints it" "^  cc: +(x86_64-linux-gnu-)?gcc" \
			<("$RUNNER" report "$r" "$r" 2>&1)
		check_eq "$name: page, roundtrip and null map+unmap succeed" '"ok"' \
			"$(jq -r '[.cells[] | select(.api != "phys") | .status] | unique | @csv' "$r")"
		if [ "$has_phys" = 1 ]; then
			check_eq "$name: dma_map_phys is supported and succeeds" '"ok"' \
				"$(jq -r '[.cells[] | select(.api == "phys") | .status] | unique | @csv' "$r")"
			check_eq "$name: INFO lists dma_map_phys" true \
				"$(jq '.apis[] | select(.api == "phys") | .supported' "$d/info.json")"
		else
			check_eq "$name: dma_map_phys is reported unsupported" '"unsupported"' \
				"$(jq -r '[.cells[] | select(.api == "phys") | .status] | unique | @csv' "$r")"
			check_eq "$name: INFO lists dma_map_phys as absent" false \
				"$(jq '.apis[] | select(.api == "phys") | .supported' "$d/info.json")"
		fi
		check_eq "$name: every measured cell did batch x batches ops" true \
			"$(jq '[.cells[] | select(.status == "ok") | .ops == .batch * .batches] | all' "$r")"
		check_eq "$name: a page map costs more cycles than the empty loop" true \
			"$(jq '[.cells[] | select(.pattern == "pair")] as $c |
				($c[] | select(.api == "page") | .map_cycles_per_op) >
				($c[] | select(.api == "null") | .map_cycles_per_op)' "$r")"
		expect_flags "$mode" "$r" "$name"
		counter_tests "$mode" "$r" "$name"
		api_tests "$mode" "$d" "$has_phys" "$name"
		check_eq "$name: INFO names the request fields the module honours beyond ABI 2's first form" \
			'["deadline_ms"]' "$(jq -c .features "$d/info.json")"
		check_eq "$name: ... and the result records them" '["deadline_ms"]' "$(jq -c .module.features "$r")"
		check_eq "$name: selftest passes" 0 "$(cat "$d/selftest.rc")"
		# 39 checks, and one of a refusal this kernel and mode can give:
		# dma_map_phys absent (6.12), the IOVA API without an IOMMU (7.x direct)
		want=39
		{ [ "$has_phys" = 0 ] || [ "$mode" = direct ]; } && want=40
		check_grep "$name: selftest ran all its $want checks" "selftest: $want of $want checks passed" "$d/selftest.txt"
		check_eq "$name: unknown API is refused" 1 "$(cat "$d/req-api.rc")"
		check_grep "$name: unknown API is named" "unknown API 99" "$d/req-api.txt"
		check_eq "$name: size 0 is refused" 1 "$(cat "$d/req-size0.rc")"
		check_grep "$name: size 0 is named" "size 0" "$d/req-size0.txt"
		check_eq "$name: size 4 MiB is refused" 1 "$(cat "$d/req-size4m.rc")"
		check_grep "$name: size 4 MiB is named" "size 4194304 is too large" "$d/req-size4m.txt"
		check_eq "$name: a valid request still works" 0 "$(cat "$d/req-ok.rc")"
		check_eq "$name: a run in the wrong mode exits 3" 3 "$(cat "$d/mismatch.rc")"
		check_grep "$name: ... and says why" "mode mismatch: requested [a-z]+, but .* is in $mode mode" "$d/mismatch.txt"
		check_eq "$name: module unloads" 0 "$(cat "$d/rmmod.rc")"
		if [ ! -s "$d/dmesg.log" ]; then
			fail "$name: kernel log is clean" "no kernel log came back from the guest"
		elif grep -qE 'Oops|BUG:|WARNING:|general protection|leak' "$d/dmesg.log"; then
			fail "$name: kernel log is clean" "$(grep -E 'Oops|BUG:|WARNING:|leak' "$d/dmesg.log" | head -3)"
		else
			pass "$name: kernel log is clean"
		fi
		size_tests "$mode" "$d" "$name"
		mkdir -p "$T/sets/$kver" "$T/sizes/$kver"
		cp "$r" "$T/sets/$kver/$mode.json"
		cp "$d/sizes.json" "$T/sizes/$kver/$mode.json" 2>/dev/null
	done
}

# A channel capture from a real guest, cut short, must be refused.
real_channel_tests() {
	local chan=$1
	echo "# channel: a real guest's transfer cut short"
	head -c $(($(stat -c %s "$chan") - 100)) "$chan" >"$T/real.cut"
	mkdir -p "$T/real"
	"$RUNNER" unpack "$T/real.cut" "$T/real" >"$T/real.out" 2>&1
	check_eq "a cut guest transfer fails (exit 2)" 2 $?
	check_grep "a cut guest transfer says it was cut" "truncated|no end marker|cut short" "$T/real.out"
}

timeout_tests() {
	local kver=$1 rc
	echo "# harness: a guest that hangs"
	"$TOP/harness/boot.sh" --config "$TOP/configs/quick.ini" \
		--job "$TOP/tests/guest/hang.sh" --timeout 15 "$kver" direct "$T/hang" >"$T/hang.out" 2>&1
	rc=$?
	check_eq "a hanging guest is stopped, exit 124" 124 "$rc"
	check_grep "a hanging guest is reported as a timeout" "timed out after 15s" "$T/hang.out"
}

# compare_tests BEFORE_DIR AFTER_DIR
compare_tests() {
	local out=$T/compare.txt modes
	echo "# compare: before/after table from the guests' results"
	"$RUNNER" compare "$1" "$2" >"$out" 2>&1
	check_eq "compare exits 0" 0 $?
	check_eq "every line fits in 72 columns" 0 "$(awk 'length > 72' "$out" | wc -l)"
	modes=$(ls "$2" | sed 's/\.json$//')
	for m in $modes; do
		check_eq "compare has map and unmap of 4 APIs x 2 patterns for $m" 16 \
			"$(grep -c "^$m " "$out")"
	done
	check_grep "compare marks phys absent before" "^direct +phys +map +n/a +[0-9.]+ +- +- " "$out"
	check_grep "compare gives a change, its interval, noise" \
		"^strict +page +map +[0-9.]+ +[0-9.]+ +([-+][0-9.]+|0\.0)% \[[-+0-9.]+,[-+0-9.]+\] +\*? [0-9.]+/[0-9.]+$" "$out"
	check_grep "compare groups rows by cell shape" "^\[pair\] pair, 4K, to_device, batch 16$" "$out"
	check_grep "compare labels emulated cycles" "tcg: emulated cycles" "$out"
}

# icount_tests KERNEL_RELEASE REPEAT: instruction-exact relations under
# -icount shift=0; with REPEAT=1 strict is booted twice to compare.
icount_tests() {
	local kver=$1 repeat=$2 d rc m n
	d=$T/icount/$kver
	echo "# icount: $kver"
	for m in direct strict strict2; do
		[ "$m" = strict2 ] && [ "$repeat" != 1 ] && continue
		"$TOP/harness/boot.sh" --accel tcg-icount --config "$TOP/configs/quick.ini" \
			--timeout 600 "$kver" "${m%2}" "$d/$m" >"$T/boot.out" 2>&1
		rc=$?
		check_eq "$kver $m: icount guest runs" 0 "$rc"
		[ $rc -eq 0 ] || { tail -n 15 "$T/boot.out"; return; }
	done
	local s=$d/strict/strict.json x=$d/direct/direct.json
	n='.cells[] | select(.api == "null")'
	check_eq "$kver: the null loop nets within one cycle of zero" true \
		"$(jq "[$n | (.map_cycles_per_op_net | fabs) <= 1 and (.unmap_cycles_per_op_net | fabs) <= 1] | all" "$s" "$x" | sort -u)"
	check_eq "$kver: strict unmap costs more than direct unmap" true \
		"$(jq -n --slurpfile s "$s" --slurpfile x "$x" \
			'($s[0].cells[] | select(.api == "page" and .pattern == "pair") | .unmap_cycles_per_op) >
			 ($x[0].cells[] | select(.api == "page" and .pattern == "pair") | .unmap_cycles_per_op)')"
	check_eq "$kver: the round trip costs at least dma_map_page" true \
		"$(jq '[.cells[] | select(.pattern == "pair")] as $c |
			($c[] | select(.api == "roundtrip") | .map_cycles_per_op) >=
			($c[] | select(.api == "page") | .map_cycles_per_op)' "$s" "$x" | sort -u)"
	check_eq "$kver: figures are given as instructions, one per cycle" true \
		"$(jq '[.cells[] | select(.status == "ok") | .map_instructions_per_op == .map_cycles_per_op] | all' "$s")"
	check_eq "$kver: the guest TSC runs at about 1 GHz: one tick per instruction" true \
		"$(jq '.module.cycles_per_sec | . > 0.99e9 and . < 1.01e9' "$s")"
	if [ "$repeat" = 1 ]; then
		check_eq "$kver: the same requests give the same figures on another boot" \
			"$(jq -c '[.cells[] | [.map_cycles_per_op, .unmap_cycles_per_op, .map_cycles_per_op_net]]' "$s")" \
			"$(jq -c '[.cells[] | [.map_cycles_per_op, .unmap_cycles_per_op, .map_cycles_per_op_net]]' "$d/strict2/strict.json")"
	fi
}
