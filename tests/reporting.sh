# SPDX-License-Identifier: GPL-2.0
# Statistics on known inputs, and report, plot and export on real result
# sets from the guests. Sourced by tests/run.sh.

stats_tests() {
	local bin=$T/stats_check
	echo "# statistics: known inputs, and an independent implementation"
	if ! cc -std=c11 -D_GNU_SOURCE -O2 -I"$TOP/runner" -o "$bin" \
		"$TOP/tests/unit/stats_check.c" "$TOP/runner/stats.c" -lm 2>"$T/cc.out"; then
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
}

# reporting_tests BEFORE_DIR AFTER_DIR SIZES_BEFORE SIZES_AFTER
reporting_tests() {
	local b=$1 a=$2 rep=$T/report.txt cells rows m first
	echo "# report, plot and export on the guests' results"
	"$RUNNER" report -o "$rep" "$b" "$a"
	check_eq "report exits 0" 0 $?
	check_eq "every report line fits in 72 columns" 0 "$(awk 'length > 72' "$rep" | wc -l)"
	for k in "^before: " "^after: " "^  modes: " "^  command: " "^  mitig\\.: " "^config: " "^figures: "; do
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
	"$RUNNER" export --hyperfine -o "$T/hf.json" "$first"
	check_eq "hyperfine export: map and unmap of every measured cell" \
		"$(jq '[.cells[] | select(.status == "ok")] | 2 * length' "$first")" "$(jq '.results | length' "$T/hf.json")"
	check_eq "hyperfine export: one time per batch, in seconds" true \
		"$(jq '[.results[] | (.times | length) > 0 and .mean > 0 and .mean < 0.01 and (.exit_codes | length) == (.times | length)] | all' "$T/hf.json")"
	"$RUNNER" check -o "$T/round.json" "$first" >/dev/null
	check_eq "schema round trip: a result reads back to the same document" \
		"$(jq -S -c . "$first" | md5sum)" "$(jq -S -c . "$T/round.json" | md5sum)"
}

gate_tests() {
	local ref=$TOP/results/reference
	echo "# gate: regressions with confidence"
	"$RUNNER" gate "$ref/before" "$ref/after" >"$T/gate.out" 2>&1
	check_eq "gate fails on the reference run's slowdowns" 1 $?
	check_grep "gate names each regression with its interval" \
		"^REGRESSION direct page map \[page-vs-phys\]: 71.0 -> 179.0, \+152.1% \(95% CI" "$T/gate.out"
	check_grep "gate counts what it judged" "^gate: 10 of 16 rows regressed by more than 5.0%$" "$T/gate.out"
	"$RUNNER" gate "$ref/after" "$ref/after" >"$T/gate2.out" 2>&1
	check_eq "gate passes a run against itself" 0 $?
	"$RUNNER" gate --threshold 200 "$ref/before" "$ref/after" >"$T/gate3.out" 2>&1
	check_eq "gate passes slowdowns below the threshold" 0 $?
	"$RUNNER" gate --op unmap --api page "$ref/before" "$ref/after" >"$T/gate4.out" 2>&1
	check_grep "gate narrows to an API and an op" "^gate: 1 of 4 rows regressed" "$T/gate4.out"
	"$RUNNER" gate --threshold lots "$ref/before" "$ref/after" >"$T/gate5.out" 2>&1
	check_eq "gate refuses a bad threshold with exit 2" 2 $?
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

	echo "# matrix: the guest CPU is a parameter"
	printf '[global]\nmodes = direct\nguest_cpu = max,vendor=GenuineIntel\napi = page phys\nbatches = 10\n[m]\nsize = 4k\n' >"$T/intel.ini"
	"$RUNNER" matrix --config "$T/intel.ini" --out "$T/intel" --plots "$T/intel-plots" \
		--timeout 600 "$1" "$2" >"$T/intel.out" 2>&1
	check_eq "matrix with guest_cpu exits 0" 0 $?
	check_eq "guest_cpu reaches QEMU and the guest: GenuineIntel" "GenuineIntel max,vendor=GenuineIntel" \
		"$(jq -r '"\(.system.cpu.vendor) \(.machine.cpu)"' "$T/intel"/*/direct.json | sort -u)"
	check_grep "the report shows the vendor it used" "^  cpu: +GenuineIntel" "$T/intel/report.txt"
	local gap='[.cells[] | select(.api == "page" or .api == "phys")] | (.[0].map_cycles_per_op_net - .[1].map_cycles_per_op_net), (.[0].unmap_cycles_per_op_net - .[1].unmap_cycles_per_op_net)'
	check_eq "page minus phys (map, unmap) does not depend on the vendor" \
		"$(jq -c "[$gap]" "$out/after/direct.json")" "$(jq -c "[$gap]" "$T/intel/after/direct.json")"
	check_eq "... while the dma-direct map itself does (7.x, AMD's confidential-computing check)" true \
		"$(jq -n --slurpfile a "$out/after/direct.json" --slurpfile i "$T/intel/after/direct.json" \
			'($a[0].cells[] | select(.api == "phys") | .map_cycles_per_op_net) >
			 ($i[0].cells[] | select(.api == "phys") | .map_cycles_per_op_net)')"
}
