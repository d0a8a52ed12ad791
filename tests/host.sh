# SPDX-License-Identifier: GPL-2.0
# Host-side tests of the runner: help texts, config errors, the checked
# channel and the result reader. Sourced by tests/run.sh.

# option_table_names <SOURCE: the long names a command's source declares
# in its option table, "opt NAME" or "alias NAME" a line, with those of
# the shared tables it splices in (CLI_GROUP, defined in runner/lib/*.c).
option_table_names() {
	local entry group table
	grep -oE 'CLI_(OPT|ALIAS)\("[a-z-]+"|CLI_OUTPUT\(|CLI_HELP|CLI_GROUP\([a-z_]+\)' |
	while read -r entry; do
		case $entry in
		CLI_OPT*) entry=${entry#*\"}; echo "opt ${entry%\"}" ;;
		CLI_ALIAS*) entry=${entry#*\"}; echo "alias ${entry%\"}" ;;
		CLI_OUTPUT*) printf 'opt output\nalias out\n' ;;
		CLI_HELP) echo "opt help" ;;
		CLI_GROUP*)
			group=${entry#CLI_GROUP(}
			group=${group%)}
			table=$(sed -n "/^const struct cli_option $group\[\] = {/,/^};/p" \
				"$TOP"/runner/lib/*.c)
			# a table not found is named, not skipped
			[ -n "$table" ] || echo "opt (table $group not found)"
			option_table_names <<<"$table" ;;
		esac
	done
}

# option_lines CMD <HELP: "NAME LETTER ARG CMD" for each line of the
# generated option list ("-": no letter, no argument).
option_lines() {
	awk -v cmd="$1" '
	/^Options:$/ { on = 1; next }
	on && /^  (-[A-Za-z0-9], |    )--[a-z]/ {
		letter = substr($0, 3, 1) == "-" ? substr($0, 4, 1) : "-"
		rest = $0
		sub(/^ *(-[A-Za-z0-9], )?--/, "", rest)
		name = rest
		sub(/ .*/, "", name)
		rest = substr(rest, length(name) + 1)
		arg = rest ~ /^ [^ ]/ ? substr(rest, 2) : "-"
		sub(/ .*/, "", arg)
		print name, letter, arg, cmd
	}'
}

# option_meanings <LINES: the long names with more than one letter and
# argument across commands, a line each: "NAME: -x ARG (cmd...); ...".
option_meanings() {
	awk '{
		sig = ($2 == "-" ? "no letter" : "-" $2) ($3 == "-" ? "" : " " $3)
		k = $1 "\t" sig
		if (!(k in users))
			n[$1]++
		users[k] = users[k] " " $4
	}
	END {
		for (k in users) {
			split(k, p, "\t")
			if (n[p[1]] > 1)
				print k " (" substr(users[k], 2) ")"
		}
	}' | sort | awk -F'\t' '
	$1 != last { if (last != "") print line; last = $1; line = $1 ": " $2; next }
	{ line = line "; " $2 }
	END { if (last != "") print line }'
}

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
	# The option tables: what each command's source declares (its own
	# entries and those of the shared tables it splices in) is what its
	# --help lists, a long name means the same in every command, and every
	# help fits a terminal.
	local f kind name missing= long= known meanings
	: >"$T/opt-lines.txt"
	for f in "$TOP"/runner/builtin/cmd_*.c; do
		cmd=${f##*/cmd_}
		cmd=${cmd%.c}
		"$RUNNER" "$cmd" --help >"$T/opt-$cmd.txt" 2>&1
		while read -r kind name; do
			case $kind in
			opt) grep -qE -- "^  (-[A-Za-z0-9], |    )--$name( |\$)" "$T/opt-$cmd.txt" ;;
			alias) grep -qF -- "(--$name is the same)" "$T/opt-$cmd.txt" ;;
			esac || missing+=" $cmd:--$name"
		done < <(option_table_names <"$f")
		option_lines "$cmd" <"$T/opt-$cmd.txt" >>"$T/opt-lines.txt"
		long+=$(awk -v c="$cmd" 'length > 80 { printf " %s:%d", c, NR }' "$T/opt-$cmd.txt")
	done
	check_eq "every option in a command's table is listed in its --help" "" "$missing"
	# Names that differ by command today, each for a reason: api,
	# threshold (bisect's -a and -t are --accel and --timeout), attach
	# (report's FILE, series' plots, explain's second form), each
	# (report's FILE, series' every commit), explain (run's -x SYMS is the
	# guest's half of the others' -X pass), output (FILE or DIR, as what
	# is written). A new one fails here, and so does one made the same.
	known="api attach each explain output threshold"
	meanings=$(option_meanings <"$T/opt-lines.txt")
	if [ "$(cut -d: -f1 <<<"$meanings" | paste -sd' ')" = "$known" ]; then
		pass "a long name has one letter and argument in every command (but: $known)"
	else
		fail "a long name has one letter and argument in every command (but: $known)" \
			"$(tr '\n' '|' <<<"$meanings")"
	fi
	"$RUNNER" --help >"$T/opt-main.txt" 2>&1
	long+=$(awk 'length > 80 { printf " dmabench:%d", NR }' "$T/opt-main.txt")
	check_eq "every line of every --help fits 80 columns" "" "$long"
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
