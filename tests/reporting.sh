# SPDX-License-Identifier: GPL-2.0
# Statistics on known inputs, and report, plot and export on real result
# sets from the guests. Sourced by tests/run.sh.

stats_tests() {
	local bin=$T/stats_check
	echo "# statistics: known inputs, and an independent implementation"
	if ! cc -std=c11 -D_GNU_SOURCE -O2 -I"$TOP/runner/lib" -o "$bin" \
		"$TOP/tests/unit/stats_check.c" "$TOP/runner/lib/stats.c" -lm 2>"$T/cc.out"; then
		fail "tests/unit/stats_check builds" "$(head -n 5 "$T/cc.out")"
		return
	fi
	printf '%s\n' 1 2 3 4 5 >"$T/five"
	printf '%s\n' 4 1 3 2 >"$T/four"
	"$bin" "$T/five" "$T/four" 0 0 >"$T/known.out"
	check_grep "quantile 0.25 of 1..5 is 2" "^q0.25 2.000000$" "$T/known.out"
	check_grep "quantile 0.05 of 1..5 interpolates to 1.2" "^q0.05 1.200000$" "$T/known.out"
	check_grep "the median of 1 2 3 4 is 2.5" "^median 2.500000$" "$T/known.out"
	check_grep "the noise of 1..5 is IQR 2 over median 3" "^noise 66.666667$" "$T/known.out"
	printf '%s\n' 7 7 7 7 >"$T/same"
	"$bin" "$T/same" "$T/same" 0 0 >"$T/same.out"
	check_grep "identical sides: a zero-width interval at 0" "^ci 0.000000 0.000000$" "$T/same.out"
	seq 1 57 | awk '{ print 100 + ($1 * 37) % 23 }' >"$T/b"
	seq 1 41 | awk '{ print 120 + ($1 * 53) % 31 }' >"$T/a"
	"$bin" "$T/b" "$T/a" 3 4 >"$T/c.out"
	python3 "$TOP/tests/unit/stats_reference.py" "$T/b" "$T/a" 3 4 >"$T/py.out"
	check "quantiles, noise and the bootstrap interval match an independent implementation" \
		cmp "$T/c.out" "$T/py.out"
	check_grep "the bootstrap interval brackets the point change" "^ci 1[0-9]\\.[0-9]+ 2[0-9]\\.[0-9]+$" "$T/c.out"
	# runs: three runs whose levels differ (+15, -9) before, two after
	seq 1 60 | awk '{ print 100 + ($1 * 37) % 23 + ($1 > 20) * 15 - ($1 > 40) * 9 }' >"$T/rb"
	seq 1 42 | awk '{ print 120 + ($1 * 53) % 31 }' >"$T/ra"
	"$bin" "$T/rb" "$T/ra" 3 4 3 2 >"$T/r.out"
	python3 "$TOP/tests/unit/stats_reference.py" "$T/rb" "$T/ra" 3 4 3 2 >"$T/rpy.out"
	check "runs: figures, spread and the hierarchical interval match an independent implementation" \
		cmp "$T/r.out" "$T/rpy.out"
	"$bin" "$T/b" "$T/a" 3 4 1 1 >"$T/r1.out"
	check_eq "one run a side: the hierarchical interval is the plain one" \
		"$(sed -n 's/^ci //p' "$T/r1.out")" "$(sed -n 's/^hci //p' "$T/r1.out")"
	check_eq "three equal runs: no spread between them" "between 0.000000" \
		"$(cat "$T/b" "$T/b" "$T/b" >"$T/b3"; "$bin" "$T/b3" "$T/a" 3 4 3 1 | grep '^between' | cut -d' ' -f1-2)"
	check "runs whose levels differ: the interval is wider than over the pooled batches" \
		awk '/^ci /{ w = $3 - $2 } /^hci /{ h = $3 - $2 } END { exit !(h > w) }' "$T/r.out"
}

# reporting_tests BEFORE_DIR AFTER_DIR SIZES_BEFORE SIZES_AFTER
reporting_tests() {
	local b=$1 a=$2 rep=$T/report.txt cells rows m first
	echo "# report, plot and export on the guests' results"
	"$RUNNER" report -o "$rep" "$b" "$a"
	check_eq "report exits 0" 0 $?
	check_eq "every report line fits in 72 columns" 0 "$(awk 'length > 72' "$rep" | wc -l)"
	for k in "^before: " "^after: " "^  modes: " "^  guest: " "^  mitig\\.: " "^config: " "^figures: "; do
		check_grep "report has its setup line /$k/" "$k" "$rep"
	done
	cells=$(cat "$a"/*.json | jq -s '[.[] | .cells[]] | length')
	rows=$(grep -cE '^(direct|strict|lazy|swiotlb) +[a-z_]+ +(map|unmap) ' "$rep")
	check_eq "report has a map and an unmap row for every cell" "$((2 * cells))" "$rows"
	for m in direct strict lazy swiotlb; do
		check_grep "report concludes on $m" "^  $m: [0-9]+/[0-9]+ rows changed" "$rep"
	done
	check_grep "report states what the page API costs over the phys API" "page-phys [-+][0-9.]+/[-+][0-9.]+" "$rep"

	"$RUNNER" plot -o "$T/plots" "$b" "$a" >"$T/plot.out" 2>&1
	check_eq "plot exits 0" 0 $?
	for m in direct strict lazy swiotlb; do
		for kind in bars dist; do
			check_eq "$m-$kind.png is a PNG" "89504e470d0a1a0a" \
				"$(head -c 8 "$T/plots/$m-$kind.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')"
			check_grep "$m-$kind.svg is an SVG" "<svg" "$T/plots/$m-$kind.svg"
		done
		check_fgrep "$m-bars.svg has the before series" "before $(jq -r .system.kernel_release "$b/$m.json")" "$T/plots/$m-bars.svg"
		check_fgrep "$m-bars.svg has the after series" "after $(jq -r .system.kernel_release "$a/$m.json")" "$T/plots/$m-bars.svg"
		check_grep "$m-dist.svg has a series per API and side" "after roundtrip" "$T/plots/$m-dist.svg"
	done
	check_eq "the text plot fits in 72 columns" 0 "$(awk 'length > 72' "$T/plots/summary.txt" | wc -l)"
	check_grep "the text plot shows both sides" "A" "$T/plots/summary.txt"

	"$RUNNER" plot -o "$T/sweep" "$3" "$4" >"$T/sweep.out" 2>&1
	check_eq "plot of the size sweep exits 0" 0 $?
	check_eq "the size sweep is drawn on log axes" "89504e470d0a1a0a" \
		"$(head -c 8 "$T/sweep/direct-sweep.png" 2>/dev/null | od -An -tx1 | tr -d ' \n')"
	check_grep "the sweep script uses log axes" "set logscale xy" "$T/sweep/direct-sweep.gp"

	first=$(ls "$a"/*.json | head -n1)
	"$RUNNER" export --csv -o "$T/r.csv" "$first"
	check_eq "CSV: a header and a line per cell" "$(($(jq '.cells | length' "$first") + 1))" "$(wc -l <"$T/r.csv")"
	# the guests here run plain TCG: emulated cycles, a counter with a rate
	"$RUNNER" export --hyperfine -o "$T/hf.json" "$first"
	check_eq "hyperfine export: map and unmap of every measured cell" \
		"$(jq '[.cells[] | select(.status == "ok")] | 2 * length' "$first")" "$(jq '.results | length' "$T/hf.json")"
	check_eq "hyperfine export: one time per batch, in seconds" true \
		"$(jq '[.results[] | (.times | length) > 0 and (.mean | fabs) < 0.01 and (.exit_codes | length) == (.times | length)] | all' "$T/hf.json")"
	"$RUNNER" check -o "$T/round.json" "$first" >/dev/null
	check_eq "schema round trip: a result reads back to the same document" \
		"$(jq -S -c . "$first" | md5sum)" "$(jq -S -c . "$T/round.json" | md5sum)"
}

gate_tests() {
	local ref=$TOP/results/reference g=$T/gate
	mkdir -p "$g"
	echo "# gate: regressions with confidence, in KTAP"
	"$RUNNER" gate "$ref/before" "$ref/after" >"$g/ktap" 2>&1
	check_eq "gate fails on the reference run's slowdowns (exit 1)" 1 $?
	check_eq "KTAP: version line, then the plan" "KTAP version 1|1..24" "$(head -n2 "$g/ktap" | paste -sd'|')"
	check_eq "KTAP: one result line per planned row, numbered in order" "$(seq 1 24 | paste -sd' ')" \
		"$(sed -n 's/^\(not \)\{0,1\}ok \([0-9]*\) .*/\2/p' "$g/ktap" | paste -sd' ')"
	check_grep "KTAP: a regression is 'not ok', named job.mode.api.op" \
		"^not ok 1 page-vs-phys\.direct\.page\.map$" "$g/ktap"
	check_grep "KTAP: ... with its figures, interval and threshold as a diagnostic" \
		"^# direct page map \[page-vs-phys\]: 71\.0 -> 179\.0 guest instructions per op, \+152\.1% \(95% CI \+152\.1\.\.\+152\.1\), threshold 5%$" "$g/ktap"
	check_eq "KTAP: a test's diagnostics come before its result line" \
		"# direct page map [page-vs-phys]|not ok 1 page-vs-phys.direct.page.map" \
		"$(sed -n '3,4p' "$g/ktap" | sed 's/:.*//' | paste -sd'|')"
	"$RUNNER" gate "$ref/before" "$T/no-such-results" >"$g/refused" 2>"$g/refused.err"
	check_eq "KTAP: refused input is still KTAP on stdout, one failed test with the reason (exit 5)" \
		"5|KTAP version 1|1..1|# gate: refused: after: $T/no-such-results: No such file or directory|not ok 1 dmabench_gate_input" \
		"$?|$(head -n 4 "$g/refused" | paste -sd'|')"
	check_grep "KTAP: a row one side lacks is a skip, never a pass" \
		"^ok 3 page-vs-phys\.direct\.phys\.map # SKIP no figure on both sides \(before unsupported, after ok\)$" "$g/ktap"
	check_grep "KTAP: kselftest's totals line" \
		"^# Totals: pass:6 fail:10 xfail:0 xpass:0 skip:8 error:0$" "$g/ktap"
	check_eq "KTAP: every line is a result, a diagnostic or a header" "" \
		"$(grep -vE '^(KTAP version 1|1\.\.[0-9]+|(not )?ok [0-9]+ [A-Za-z0-9_.-]+( # SKIP .*)?|# .*)$' "$g/ktap")"
	"$RUNNER" gate --format table "$ref/before" "$ref/after" >"$g/table" 2>&1
	check_eq "the table format: the same verdict (exit 1)" 1 $?
	check_grep "the table names each regression with its interval" \
		"^REGRESSION direct page map \[page-vs-phys\]: 71.0 -> 179.0, \+152.1% \(95% CI" "$g/table"
	check_grep "the table counts what it judged" "^gate: 10 of 16 rows regressed beyond their threshold" "$g/table"
	"$RUNNER" gate "$ref/after" "$ref/after" >"$g/self" 2>&1
	check_eq "gate passes a run against itself (exit 0)" 0 $?
	"$RUNNER" gate --threshold 200 "$ref/before" "$ref/after" >"$g/t200" 2>&1
	check_eq "gate passes slowdowns below the threshold" 0 $?
	"$RUNNER" gate --format table --op unmap --api page "$ref/before" "$ref/after" >"$g/narrow" 2>&1
	check_grep "gate narrows to an API and an op" "^gate: 1 of 4 rows regressed" "$g/narrow"
	"$RUNNER" gate --threshold lots "$ref/before" "$ref/after" >"$g/bad" 2>&1
	check_eq "gate refuses a bad threshold with exit 5" 5 $?
	"$RUNNER" gate --api phys "$ref/before" "$ref/after" >"$g/skip" 2>&1
	check_eq "no row judged (phys: before has none): skip, exit 4" 4 $?
	check_grep "... every row says SKIP" "^# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:8 error:0$" "$g/skip"

	echo "# gate: thresholds per mode, API and op"
	"$RUNNER" gate --format table --threshold 200 --threshold 'strict/*/map=30' "$ref/before" "$ref/after" >"$g/r1" 2>&1
	check_eq "a rule for strict maps: only those rows fail" "strict page map|strict roundtrip map" \
		"$(sed -n 's/^REGRESSION \([a-z]*\) \([a-z]*\) \([a-z]*\) .*/\1 \2 \3/p' "$g/r1" | paste -sd'|')"
	"$RUNNER" gate --format table --threshold 'strict/*/map=30' --threshold 200 "$ref/before" "$ref/after" >"$g/r2" 2>&1
	check_eq "the last matching rule applies (a general one after it wins)" 0 $?
	"$RUNNER" gate --format table --threshold 1000 --threshold '*/page/map=107insn' "$ref/before" "$ref/after" >"$g/r3" 2>&1
	check_eq "instructions under icount: 107insn catches the +108 direct page map, only it" \
		"direct page map" "$(sed -n 's/^REGRESSION \([a-z]*\) \([a-z]*\) \([a-z]*\) .*/\1 \2 \3/p' "$g/r3" | grep direct)"
	"$RUNNER" gate --threshold 1000 --threshold '*/page/map=108insn' "$ref/before" "$ref/after" >"$g/r4" 2>&1
	check_grep "... and 108insn lets it pass (not above)" "^ok 1 page-vs-phys\.direct\.page\.map$" "$g/r4"
	printf '[gate]\nthreshold = 1000\nthreshold swiotlb/page/map = 7.5%%\n[x]\napi = page\n' >"$g/gate.ini"
	"$RUNNER" gate --format table --config "$g/gate.ini" "$ref/before" "$ref/after" >"$g/r5" 2>&1
	check_eq "rules from a config's [gate] section" "swiotlb page map" \
		"$(sed -n 's/^REGRESSION \([a-z]*\) \([a-z]*\) \([a-z]*\) .*/\1 \2 \3/p' "$g/r5")"
	"$RUNNER" config "$g/gate.ini" >/dev/null 2>&1
	check_eq "... and the same config still parses as a matrix" 0 $?
	for bad in 'direct/page=5' 'fast/*/map=5' '*/page/both=5' '*/*/map=-1' '*/*/map=5ms' '*/*/map=nan'; do
		"$RUNNER" gate --threshold "$bad" "$ref/before" "$ref/after" >"$g/bad" 2>&1
		check_eq "a bad rule '$bad' is refused (exit 5)" 5 $?
	done
	printf '[gate]\nthreshold strict/page = 5\n' >"$g/bad.ini"
	"$RUNNER" config "$g/bad.ini" >"$g/bad" 2>&1
	check_grep "a bad [gate] rule in a config names its line" "bad.ini:2: key 'threshold strict/page'" "$g/bad"
	printf '[gate]\nlimit = 5\n' >"$g/bad.ini"
	"$RUNNER" config "$g/bad.ini" >"$g/bad" 2>&1
	check_grep "an unknown [gate] key is refused" "unknown key in \[gate\]" "$g/bad"
	mkdir -p "$g/tcg"
	for f in "$ref"/after/*.json; do jq '.system.accel = "tcg"' "$f" >"$g/tcg/$(basename "$f")"; done
	"$RUNNER" gate --threshold '5insn' "$g/tcg" "$g/tcg" >"$g/bad" 2>&1
	check_eq "instructions without icount are refused (exit 5)" 5 $?

	echo "# gate: what cannot be compared is refused"
	"$RUNNER" gate "$ref/before" "$g/tcg" >"$g/bad" 2>&1
	check_eq "two accels: refused (exit 5)" 5 $?
	check_grep "... saying so" "before ran under tcg-icount, after under tcg" "$g/bad"
	mkdir -p "$g/cfg"
	for f in "$ref"/after/*.json; do jq '.config.text += "; changed\n"' "$f" >"$g/cfg/$(basename "$f")"; done
	"$RUNNER" gate "$ref/before" "$g/cfg" >"$g/bad" 2>&1
	check_eq "two configs: refused (exit 5)" 5 $?
	check_grep "... saying so" "measured different configs" "$g/bad"
	mkdir -p "$g/mode"
	cp "$ref"/after/*.json "$g/mode/"
	jq '.mode.detected = "direct"' "$ref/after/strict.json" >"$g/mode/strict.json"
	"$RUNNER" gate "$ref/before" "$g/mode" >"$g/bad" 2>&1
	check_eq "a mode detected differently on the two sides: refused (exit 5)" 5 $?
	check_grep "... naming it" "mode strict was detected as strict before and direct after" "$g/bad"
	mkdir -p "$g/err"
	cp "$ref"/after/*.json "$g/err/"
	jq '.cells[1].status = "error" | .cells[1].error = "mapping failed"' "$ref/after/direct.json" >"$g/err/direct.json"
	"$RUNNER" gate --threshold 1000 "$ref/before" "$g/err" >"$g/e" 2>&1
	check_eq "an API that fails after: not ok, whatever the threshold" 1 $?
	check_grep "... with the error as its diagnostic" "^# after: mapping failed$" "$g/e"
}

# matrix_tests BEFORE AFTER: the whole flow of make demo, one mode.
matrix_tests() {
	local out=$T/matrix
	echo "# matrix: what make demo does, on one mode"
	printf '[global]\nmodes = direct\napi = page phys\nbatches = 10\n[m]\nsize = 4k\n' >"$T/m.ini"
	"$RUNNER" matrix --config "$T/m.ini" --out "$out" --plots "$T/matrix-plots" \
		--timeout 600 "$1" "$2" >"$T/matrix.out" 2>&1
	check_eq "matrix exits 0" 0 $?
	for f in before/direct.json before/direct.csv before/direct.console.log \
		 before/direct.dmesg.log after/direct.json after/direct.channel.log \
		 compare.txt report.txt; do
		check "matrix wrote $f" test -s "$out/$f"
	done
	check "matrix drew the plots" test -s "$T/matrix-plots/direct-bars.png"
	check_grep "matrix printed the comparison" "^direct +page +map " "$T/matrix.out"
	check "matrix results are valid" "$RUNNER" check "$out/before/direct.json" "$out/after/direct.json"
	check_eq "matrix measures under tcg-icount by default" tcg-icount \
		"$(jq -r .system.accel "$out"/*/direct.json | sort -u)"
	check_eq "results carry the guest CPU's vendor, family and model" "AuthenticAMD number number" \
		"$(jq -r '.system.cpu | "\(.vendor) \(.family | type) \(.model | type)"' "$out"/*/direct.json | sort -u)"
	check_eq "results carry QEMU's version, CPU model and command line" "true max true" \
		"$(jq -r '.machine | "\(.qemu_version | startswith("QEMU emulator version")) \(.cpu) \(.command | index("-cpu") != null)"' \
			"$out"/*/direct.json | sort -u)"
	check_grep "the report shows the guest CPU's vendor" "^  cpu: +AuthenticAMD, family [0-9]+, model [0-9]+" "$out/report.txt"
	check_grep "the report shows the QEMU machine" "^  qemu: +QEMU emulator version" "$out/report.txt"
	check_grep "the report's command names each mode's own as MODE" "--expect-mode MODE" "$out/report.txt"
	check_grep "the report names the dmabench that booted the guests, by commit" \
		"^  version: dmabench, commit ([0-9a-f]{12}(-dirty)?|unknown)$" "$out/report.txt"
	# the command that measured: this one, or the earlier one whose
	# measurement the icount cache served (a filled cache)
	local ran
	ran=$(jq -r '.machine.dmabench.command' "$out/after/direct.json")
	check_fgrep "... and the command that measured, to run again" "  run:     $ran" \
		<(sed -z 's/\n           / /g' "$out/report.txt")
	if grep -q ": cached$" "$T/matrix.out"; then
		check_eq "... the measuring command's, served from the cache" "dmabench matrix --config" "${ran:0:24}"
	else
		local want="dmabench matrix --config $T/m.ini --out $out "
		check_eq "... this command, measured now" "$want" "${ran:0:${#want}}"
	fi

	echo "# matrix: two runs into one folder"
	cp "$out/after/direct.json" "$T/matrix-first.json"
	# -o: the lock is flock's own, gone when it is killed
	flock -x -o "$out" sleep 120 &
	local holder=$!
	while flock -n "$out" true; do sleep 0.1; done
	"$RUNNER" matrix --config "$T/m.ini" --out "$out" --plots "$T/matrix-plots2" \
		--timeout 600 "$1" "$2" >"$T/matrix-busy.out" 2>&1
	check_eq "a matrix into a folder another run holds: exit 2, saying so, no guest booted" "2 1 0" \
		"$? $(grep -c "$out: another dmabench run is writing into this folder" "$T/matrix-busy.out") $(grep -c '^dmabench: \[' "$T/matrix-busy.out")"
	check "... the first run's result untouched" cmp "$T/matrix-first.json" "$out/after/direct.json"
	kill "$holder"
	wait "$holder" 2>/dev/null

	echo "# matrix: the guest CPU is a parameter"
	printf '[global]\nmodes = direct\nguest_cpu = max,vendor=GenuineIntel\napi = page phys\nbatches = 10\n[m]\nsize = 4k\n' >"$T/intel.ini"
	"$RUNNER" matrix --config "$T/intel.ini" --out "$T/intel" --plots "$T/intel-plots" \
		--timeout 600 "$1" "$2" >"$T/intel.out" 2>&1
	check_eq "matrix with guest_cpu exits 0" 0 $?
	check_eq "guest_cpu reaches QEMU and the guest: GenuineIntel" "GenuineIntel max,vendor=GenuineIntel" \
		"$(jq -r '"\(.system.cpu.vendor) \(.machine.cpu)"' "$T/intel"/*/direct.json | sort -u)"
	check_grep "the report shows the vendor it used" "^  cpu: +GenuineIntel" "$T/intel/report.txt"
	# the whole loops, caller and call: with an Intel vendor the ITS return
	# thunk makes an empty function cost 2 or 3 by its address, so the
	# twins, and with them the net figures, differ by one (docs)
	local gap='[.cells[] | select(.api == "page" or .api == "phys")] | (.[0].map_cycles_per_op - .[1].map_cycles_per_op), (.[0].unmap_cycles_per_op - .[1].unmap_cycles_per_op)'
	check_eq "page minus phys, whole loops (map, unmap), does not depend on the vendor" \
		"$(jq -c "[$gap]" "$out/after/direct.json")" "$(jq -c "[$gap]" "$T/intel/after/direct.json")"
	check_eq "... while the dma-direct map itself does (7.x, AMD's confidential-computing check)" true \
		"$(jq -n --slurpfile a "$out/after/direct.json" --slurpfile i "$T/intel/after/direct.json" \
			'($a[0].cells[] | select(.api == "phys") | .map_cycles_per_op_net) >
			 ($i[0].cells[] | select(.api == "phys") | .map_cycles_per_op_net)')"
}
