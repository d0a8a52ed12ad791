# SPDX-License-Identifier: GPL-2.0
# Host-side tests of the runner: help texts, config errors, the checked
# channel and the result reader. Sourced by tests/run.sh.
host_tests() {

	echo "# runner: help and usage"
	for cmd in run info request selftest send unpack config check compare report plot export gate merge kcidb matrix series bisect explain fuzz; do
		out=$("$RUNNER" "$cmd" --help 2>&1); rc=$?
		if [ $rc -eq 0 ] && grep -q "^usage: dmabench $cmd" <<<"$out"; then
			pass "dmabench $cmd --help"
		else
			fail "dmabench $cmd --help" "exit $rc: $out"
		fi
	done
	# every long option a command's table takes, named in its help
	local missing=
	for cmd in run info request selftest send unpack config check compare report plot export gate merge kcidb matrix series bisect explain fuzz mapbench; do
		out=$("$RUNNER" "$cmd" --help 2>&1)
		for opt in $(sed -n 's/^[[:space:]]*{ "\([a-z-]*\)", [a-z_]*_argument.*/\1/p' \
				"$TOP/runner/builtin/cmd_$cmd.c" | sort -u); do
			[ "$opt" = help ] || grep -q -- "--$opt" <<<"$out" || missing+=" $cmd:--$opt"
		done
	done
	check_eq "every long option of every command is named in its --help" "" "$missing"
	for s in buildroot fetch-kernel build-kernel prebuilt-kernel build-module build-runner boot install-deps checkpatch gate-validity ci-gate apply-mbox fetch-series; do
		out=$("$TOP/harness/$s.sh" --help 2>&1); rc=$?
		if [ $rc -eq 0 ] && grep -q "^Usage: harness/$s.sh" <<<"$out"; then
			pass "harness/$s.sh --help"
		else
			fail "harness/$s.sh --help" "exit $rc: $out"
		fi
	done
	"$TOP/harness/fetch-kernel.sh" >"$T/fk.txt" 2>&1
	check_eq "a harness script without its arguments exits 2" 2 $?
	check_grep "... and prints its usage" "^Usage: harness/fetch-kernel.sh \[--arch arm64\] SUITE SERIES" "$T/fk.txt"
	"$RUNNER" frobnicate >"$T/unknown.txt" 2>&1
	check_eq "an unknown command exits 2" 2 $?
	check_grep "an unknown command is named" "unknown command 'frobnicate'" "$T/unknown.txt"

	echo "# configs: every shipped config parses, every bad one is refused"
	for f in "$TOP"/configs/*.ini; do
		check "configs/$(basename "$f") parses" "$RUNNER" config "$f"
	done
	check_eq "configs/quick.ini expands to 8 cells" 9 "$("$RUNNER" config "$TOP/configs/quick.ini" | wc -l)"
	for f in "$TOP"/tests/configs/bad-*.ini; do
		want=$(sed -n '1s/^; expect: //p' "$f")
		"$RUNNER" config "$f" >"$T/cfg.out" 2>&1
		rc=$?
		if [ $rc -eq 2 ] && grep -qE -- "$want" "$T/cfg.out"; then
			pass "$(basename "$f") is refused with its line and key"
		else
			fail "$(basename "$f") is refused with its line and key" "exit $rc: $(cat "$T/cfg.out")"
		fi
	done
	"$RUNNER" config /nonexistent.ini >"$T/cfg.out" 2>&1
	check_grep "a missing config is named" "/nonexistent.ini: No such file" "$T/cfg.out"
	# One table describes every key: docs/configs.md's copy is its output.
	"$RUNNER" config --keys >"$T/keys.md" 2>&1
	check_eq "config --keys: a row for every key the parser takes" \
		"$(sed -n 's/.*unknown key (known: \(.*\))$/\1/p' <(printf '[global]\nnosuch = 1\n' >"$T/nosuch.ini"; "$RUNNER" config "$T/nosuch.ini" 2>&1) | tr ' ' '\n' | sort | paste -sd' ')" \
		"$(sed -n 's/^| `\([a-z_]*\)` |.*/\1/p' "$T/keys.md" | sort | paste -sd' ')"
	check_eq "docs/configs.md's table of config keys is config --keys' output" "" \
		"$(diff <(sed -n '/^| key | values | default |$/,/^$/p' "$TOP/docs/configs.md" | sed '/^$/d') "$T/keys.md")"
	printf '[global]\n' >"$T/empty.ini"
	check_eq "the table's defaults are what an empty config expands to" \
		"default page pair to_device 4096 0 64 100 5" \
		"$("$RUNNER" config "$T/empty.ini" | awk 'NR == 2 { print $1, $2, $3, $4, $5, $6, $7, $8, $9 }')"

	echo "# channel: frames survive intact or are refused"
	head -c 20000 /dev/urandom >"$T/payload.bin"
	"$RUNNER" send "$T/chan" "$T/payload.bin" "$TOP/configs/quick.ini=quick.ini"
	mkdir -p "$T/unpacked"
	check "two frames unpack" "$RUNNER" unpack "$T/chan" "$T/unpacked"
	check "a binary frame arrives byte for byte" cmp "$T/payload.bin" "$T/unpacked/payload.bin"
	check "a text frame arrives byte for byte" cmp "$TOP/configs/quick.ini" "$T/unpacked/quick.ini"
	head -c 15000 "$T/chan" >"$T/chan.cut"
	mkdir -p "$T/cut"
	"$RUNNER" unpack "$T/chan.cut" "$T/cut" >"$T/cut.out" 2>&1
	check_eq "a truncated channel fails (exit 2)" 2 $?
	check_grep "a truncated channel says so" "frame 'payload.bin' truncated: [0-9]+ of 20000 bytes" "$T/cut.out"
	check_eq "a truncated channel leaves no file" "" "$(ls "$T/cut")"
	# A guest that dies mid-transfer: what arrived whole can be salvaged.
	"$RUNNER" send "$T/chan3" "$TOP/configs/quick.ini=one.ini" "$TOP/configs/demo.ini=two.ini" "$T/payload.bin"
	head -c $(($(stat -c %s "$T/chan3") - 5000)) "$T/chan3" >"$T/chan3.cut"
	mkdir -p "$T/salv"
	"$RUNNER" unpack --salvage "$T/chan3.cut" "$T/salv" >"$T/salv.out" 2>&1
	check_eq "unpack --salvage of a cut channel exits 1" 1 $?
	check_eq "... writing the frames before the cut, byte for byte, and not the cut one" "one.ini two.ini 0 0" \
		"$(ls "$T/salv" | paste -sd' ') $(cmp -s "$TOP/configs/quick.ini" "$T/salv/one.ini"; echo $?) $(cmp -s "$TOP/configs/demo.ini" "$T/salv/two.ini"; echo $?)"
	check_grep "... naming the damage" "2 frames verified before the damage: .*'payload.bin' truncated" "$T/salv.out"
	"$RUNNER" unpack --salvage "$T/chan3" "$T/salv" >"$T/salv.out" 2>&1
	check_eq "unpack --salvage of a whole channel exits 0" "0 3 frames verified" "$? $(cat "$T/salv.out")"
	cp "$T/chan" "$T/chan.bad"
	printf 'X' | dd of="$T/chan.bad" bs=1 seek=5000 conv=notrunc status=none
	"$RUNNER" unpack "$T/chan.bad" "$T/cut" >"$T/bad.out" 2>&1
	check_grep "a garbled frame fails its CRC" "CRC-32 mismatch" "$T/bad.out"
	: >"$T/empty"
	"$RUNNER" unpack "$T/empty" "$T/cut" >"$T/empty.out" 2>&1
	check_grep "an empty channel says the guest sent nothing" "no frames" "$T/empty.out"

		echo "# the shipped reference run"
		local ref=$TOP/results/reference
		check "the reference results are complete and valid" "$RUNNER" check "$ref"/before/*.json "$ref"/after/*.json
		"$RUNNER" report "$ref/before" "$ref/after" >"$T/ref-report.txt" 2>&1
		check "report reproduces the shipped report.txt exactly" cmp "$ref/report.txt" "$T/ref-report.txt"
		"$RUNNER" compare "$ref/before" "$ref/after" >"$T/ref-compare.txt" 2>&1
		check "compare reproduces the shipped compare.txt exactly" cmp "$ref/compare.txt" "$T/ref-compare.txt"
		check_eq "the reference report fits in 72 columns" 0 "$(awk 'length > 72' "$ref/report.txt" | wc -l)"
		echo "# results of an older dmabench: cells without the keys added since"
		local old=$T/older k
		mkdir -p "$old/before"
		for k in "$ref"/before/*.json; do
			jq 'del(.cells[] | (.nents, .pool, .threads, .attrs, .irqs_off, .cpu, .warmup))' "$k" \
				>"$old/before/$(basename "$k")"
		done
		"$RUNNER" compare "$old/before" "$ref/after" >"$T/older-compare.txt" 2>&1
		check_eq "compare pairs them with today's: exit 0, the same table as the reference's" "0 same" \
			"$? $(cmp -s "$T/ref-compare.txt" "$T/older-compare.txt" && echo same)"
		"$RUNNER" gate "$old/before" "$ref/after" >"$T/older-gate.out" 2>&1
		"$RUNNER" gate "$ref/before" "$ref/after" >"$T/ref-gate.out" 2>&1
		check "... and the gate's KTAP is the same as the reference's" cmp "$T/ref-gate.out" "$T/older-gate.out"
		check_grep "... and check says which keys it read with the table's defaults" \
			"direct.json: ok, .*; read with the defaults of attrs, warmup, cpu, irqs_off, threads, nents, pool$" \
			<("$RUNNER" check "$old/before/direct.json")
		check_eq "... each cell read with the table's defaults (nents 1, pool 0, threads 1, attrs none)" \
			"1 0 1 none" "$("$RUNNER" check -o "$T/older.json" "$old/before/direct.json" >/dev/null &&
				jq -r '[.cells[] | "\(.nents) \(.pool) \(.threads) \(.attrs)"] | unique | .[]' "$T/older.json")"
		mkdir -p "$T/nodesc/before" "$T/nodesc/after"
		for k in before after; do
			for f in "$ref/$k"/*.json; do
				jq 'del(.config.description)' "$f" >"$T/nodesc/$k/$(basename "$f")"
			done
		done
		"$RUNNER" report "$T/nodesc/before" "$T/nodesc/after" >"$T/nodesc.txt" 2>&1
		check_eq "a config without a description: the report has no bare '?' line, one line less" \
			"0 $(($(wc -l <"$T/ref-report.txt") - 1))" \
			"$(grep -c '^ *?$' "$T/nodesc.txt") $(wc -l <"$T/nodesc.txt")"
		echo "# lazy mode: amortized figures"
		local amort
		amort=$(jq -r '.cells[] | select(.api == "page") |
			((.samples.unmap | add) / (.samples.unmap | length) / .batch - .baseline.unmap_cycles_per_op) * 10 | round / 10' \
			"$ref/before/lazy.json")
		check_grep "lazy rows are amortized: all cycles over all ops, net ($amort)" \
			"^lazy +page +unmap +$amort " "$T/ref-compare.txt"
		check_eq "lazy unmap: the amortized figure exceeds the median (drains counted)" true \
			"$(jq --argjson a "$amort" '.cells[] | select(.api == "page") | $a > .unmap_cycles_per_op_net' "$ref/before/lazy.json")"
		check_grep "strict rows stay medians" \
			"^strict +page +unmap +$(jq -r '.cells[] | select(.api == "page") | .unmap_cycles_per_op_net | . * 10 | round / 10 | tostring | if test("[.]") then . else . + ".0" end' "$ref/before/strict.json") " \
			"$T/ref-compare.txt"
		check_grep "the report's page-phys in lazy mode is the path's cost (medians)" \
			"^  lazy: .*page-phys \+13\.0/\+5\.0 insn$" <(sed -z 's/\n        / /g' "$ref/report.txt")
		check_grep "the conclusion gives the page map's figures with their unit, as the table does" \
			"^  direct: 4/6 rows changed; page map \+152\.1%\* \(71\.0 -> 179\.0 insn\);" "$ref/report.txt"
		check_grep "compare says lazy rows are amortized" "^lazy: amortized" "$T/ref-compare.txt"
		check "docs/reference.md quotes the reference report" grep -qF "$(sed -n 's/^/    /; /strict  page      map/p' "$ref/report.txt")" "$TOP/docs/reference.md"
}

# The CPUs the counters follow: the module's pick, gaps and all.
cpu_list_tests() {
	local bin=$T/cpus_check a
	echo "# counters: the CPUs of a request, from the online list"
	if ! cc -std=c11 -D_GNU_SOURCE -I"$TOP/runner/lib" -I"$TOP/bench-module" -o "$bin" \
		"$TOP/tests/unit/cpus_check.c" "$TOP/runner/lib/sysinfo.c" "$TOP/runner/lib/util.c" \
		-ljansson 2>"$T/cc.out"; then
		fail "tests/unit/cpus_check builds" "$(head -n 5 "$T/cc.out")"
		return
	fi
	while IFS='|' read -r list first n want; do
		check_eq "online '$list', $n from CPU $first: $want" "$want" "$("$bin" "$list" "$first" "$n")"
	done <<'LIST'
0-3|0|2|0 1
0-3,6,8-9|2|4|2 3 6 8
0,2,4|1|2|2 4
0-127|100|3|100 101 102
0-3|2|3|error
0-x|0|1|error
3-1|0|1|error
LIST
}
