# SPDX-License-Identifier: GPL-2.0
# Runs across boots: merging them, statistics over runs and batches, and a
# gate that does not judge one boot of a machine whose boots differ.
# Host tests run on the shipped reference run, on copies of it made to look
# like boots of a noisy machine, and on a recorded plain-TCG run with three
# boots a side (tests/data/tcg-runs3). Sourced by tests/run.sh.

# scaled FILE FACTOR OUT: FILE as a boot of a noisy (plain tcg) machine whose
# every per-op cost is FACTOR times as large, baselines unchanged.
scaled() {
	jq --argjson f "$2" '.system.accel = "tcg" | .cells |= map(
		if .status == "ok" then
			.samples.map |= map(. * $f | round) | .samples.unmap |= map(. * $f | round) |
			.map_cycles_per_op *= $f | .unmap_cycles_per_op *= $f
		else . end)' "$1" >"$3"
}

runs_host_tests() {
	local ref=$TOP/results/reference r d=$T/runs rec=$TOP/tests/data/tcg-runs3 n out
	echo "# runs: merging boots"
	mkdir -p "$d"
	r=$ref/before/direct.json
	"$RUNNER" merge --help >"$d/help" 2>&1
	check_eq "merge --help exits 0" 0 $?
	"$RUNNER" merge -o "$d/one.json" "$r" >/dev/null 2>&1
	check_eq "merge needs two runs or more (exit 2)" 2 $?
	"$RUNNER" merge -o "$d/m.json" "$r" "$r" "$r" 2>"$d/err"
	check_eq "three runs of one result merge (exit 0)" 0 $?
	"$RUNNER" check "$d/m.json" >/dev/null
	check_eq "the merge is a valid result" 0 $?
	n=$(jq '.cells[1].samples.map | length' "$r")
	check_eq "it lists its three runs" 3 "$(jq '.runs | length' "$d/m.json")"
	check_eq "every cell keeps every run's samples" "$((3 * n)) [$n,$n,$n]" \
		"$(jq -c '.cells[1] | "\(.samples.map | length) \(.samples.runs)"' -r "$d/m.json")"
	check_eq "every cell keeps every run's baseline" 3 \
		"$(jq '[.cells[1].runs[] | select(.baseline.map_cycles_per_op)] | length' "$d/m.json")"
	"$RUNNER" compare "$r" "$d/m.json" >"$d/same.txt"
	check_eq "identical runs: every figure as in one run, no change" 0 \
		"$(awk '/^noise between runs/ { exit } $1 == "direct" && $6 != "0.0%" && $6 != "-"' "$d/same.txt" | wc -l)"
	check_grep "compare shows the noise between runs" "^noise between runs" "$d/same.txt"
	check_eq "... zero between identical runs, none for a single run" 0 \
		"$(awk '/^noise between runs/ { on = 1 } on && $1 == "direct" && $4 != "-/-" && ($4 != "1/3" || $5 != "-" || $6 != "0.0")' "$d/same.txt" | wc -l)"
	check_grep "the header counts the runs of each side" "^runs: *1 before, 3 after" "$d/same.txt"

	echo "# runs: what does not belong together is refused"
	"$RUNNER" merge -o "$d/x.json" "$r" "$ref/before/strict.json" 2>"$d/err"
	check_eq "runs of two modes are refused (exit 2)" 2 $?
	check_grep "... naming what differs" "differ in mode.detected" "$d/err"
	jq '.system.kernel_release = "6.1.0"' "$r" >"$d/k.json"
	"$RUNNER" merge -o "$d/x.json" "$r" "$d/k.json" 2>"$d/err"
	check_grep "runs of two kernels are refused" "differ in system.kernel_release" "$d/err"
	jq 'del(.cells[2])' "$r" >"$d/c.json"
	"$RUNNER" merge -o "$d/x.json" "$r" "$d/c.json" 2>"$d/err"
	check_grep "runs of two configs are refused" "cells: not runs of one config" "$d/err"
	"$RUNNER" merge -o "$d/x.json" "$d/m.json" "$r" 2>"$d/err"
	check_grep "a merge is not merged again" "already a merge of several runs" "$d/err"
	check "nothing was written for a refused merge" test ! -e "$d/x.json"
	jq '.cells[1].samples.runs[2] += 1' "$d/m.json" >"$d/bad.json"
	"$RUNNER" check "$d/bad.json" >"$d/err" 2>&1
	check_eq "a merge whose run counts do not add up is refused (exit 1)" 1 $?
	check_grep "... naming the run" "run 3 has not $n samples" "$d/err"
	jq 'del(.cells[1].runs[1].baseline)' "$d/m.json" >"$d/bad.json"
	"$RUNNER" check "$d/bad.json" >"$d/err" 2>&1
	check_grep "a run without its baseline is refused" "runs\\[1\\]" "$d/err"

	echo "# runs: the gate and one boot of a noisy machine"
	scaled "$r" 1 "$d/b1.json"
	scaled "$r" 1.3 "$d/a1.json"
	"$RUNNER" gate "$d/b1.json" "$d/a1.json" >"$d/gate.out" 2>&1
	check_eq "one tcg run a side: the gate does not judge (exit 4)" 4 $?
	check_grep "... and says why in a sentence" "cannot judge: before has 1 run under tcg" "$d/gate.out"
	"$RUNNER" compare "$d/b1.json" "$d/a1.json" >"$d/c1.txt"
	check_eq "... compare stars no row of it, +30 % or not" 0 \
		"$(grep -c '^direct .* \* ' "$d/c1.txt")"
	check_grep "... and says why" "no row is starred" "$d/c1.txt"
	# Boot-to-boot swings as plain TCG shows them, the same on both sides.
	for f in 1.0 1.3 0.8; do scaled "$r" $f "$d/b-$f.json"; done
	for f in 1.25 0.9 1.05; do scaled "$r" $f "$d/a-$f.json"; done
	"$RUNNER" merge -o "$d/b3.json" "$d"/b-*.json &&
		"$RUNNER" merge -o "$d/a3.json" "$d"/a-*.json
	"$RUNNER" gate "$d/b3.json" "$d/a3.json" >"$d/gate.out" 2>&1
	check_eq "three runs a side whose boots swing by 50 %: no false alarm (exit 0)" 0 $?
	"$RUNNER" compare "$d/b3.json" "$d/a3.json" >"$d/c3.txt"
	check_eq "... its intervals cover the swing (page map includes 0)" 1 \
		"$(awk '/^noise between runs/ { exit } $1 == "direct" && $2 == "page" && $3 == "map" { split(substr($7, 2), i, ","); print (i[1] + 0 < 0 && i[2] + 0 > 0) }' "$d/c3.txt")"
	check_grep "... and the noise between runs is shown" "^direct +page +map +3/3 +[0-9]" "$d/c3.txt"
	for f in 1.25 0.9 1.05; do scaled "$r" "$(echo "$f * 2" | bc)" "$d/s-$f.json"; done
	"$RUNNER" merge -o "$d/s3.json" "$d"/s-*.json
	"$RUNNER" gate "$d/b3.json" "$d/s3.json" >"$d/gate.out" 2>&1
	check_eq "every run twice as slow: the gate alarms through that noise (exit 1)" 1 $?

	echo "# runs: a recorded plain-TCG run, three boots a side, one kernel"
	if [ ! -d "$rec" ]; then
		fail "tests/data/tcg-runs3 is there" "missing"
		return
	fi
	"$RUNNER" check "$rec"/before/*.json "$rec"/after/*.json "$rec"/runs/*.json >/dev/null
	check_eq "the recorded runs are valid results" 0 $?
	"$RUNNER" gate "$rec/before" "$rec/after" >"$d/rec.out" 2>&1
	check_eq "the same kernel against itself, 3 boots a side: no false alarm (exit 0)" 0 $?
	"$RUNNER" compare "$rec/before" "$rec/after" >"$d/rec.txt"
	check_eq "its intervals are not degenerate (low end below high end)" 0 \
		"$(awk '/^noise between runs/ { exit } $1 ~ /^(direct|strict)$/ && $2 != "null" && $7 ~ /^\[/ { split(substr($7, 2), i, ","); if (i[1] + 0 >= i[2] + 0) print }' "$d/rec.txt" | wc -l)"
	check "its boots differ: some row shows noise between runs" \
		awk '/^noise between runs/ { on = 1 } on && $1 ~ /^(direct|strict)$/ && $5 + 0 > 0 { found = 1 } END { exit !found }' "$d/rec.txt"
	out=$("$RUNNER" gate "$rec/runs/before-direct.r1.json" "$rec/runs/after-direct.r1.json" 2>&1)
	check_eq "one of those boots a side: the gate does not judge (exit 4)" 4 $?
}

# runs_tests: two boots a side under tcg-icount, through the matrix.
runs_tests() {
	local out=$T/runs-icount r
	echo "# runs: two boots a side under tcg-icount"
	"$RUNNER" matrix -a tcg-icount -c "$TOP/tests/configs/runs-icount.ini" -o "$out" \
		-p "$T/runs-plots" "$AFTER" "$AFTER" >"$T/runs-matrix.out" 2>&1
	check_eq "matrix with runs = 2 exits 0" 0 $?
	check_eq "each boot counts in the progress (4 boots)" 4 \
		"$(grep -c 'direct (tcg-icount, run [12] of 2)' "$T/runs-matrix.out")"
	for r in before after; do
		check "$r: each boot's result is kept in runs/" \
			test -s "$out/$r/runs/direct.r1.json" -a -s "$out/$r/runs/direct.r2.json" \
			-a -s "$out/$r/runs/direct.r2.console.log"
		check_eq "$r: the merge lists both boots" 2 "$(jq '.runs | length' "$out/$r/direct.json")"
		check_eq "$r: under icount both boots measure the same, cell for cell" 0 \
			"$(jq '[.cells[] | select(.status == "ok") | .runs | map(.map_cycles_per_op) | unique | length | select(. != 1)] | length' "$out/$r/direct.json")"
	done
	check_eq "no spread between the boots of either side" 0 \
		"$(awk '/^noise between runs/ { on = 1 } on && $1 == "direct" && ($5 != "0.0" || $6 != "0.0")' "$out/compare.txt" | wc -l)"
	"$RUNNER" gate "$out/before" "$out/after" >"$T/runs-gate.out" 2>&1
	check_eq "the gate judges them: the same kernel passes (exit 0)" 0 $?
	"$RUNNER" gate "$out/before/runs/direct.r1.json" "$out/after/runs/direct.r2.json" \
		>"$T/runs-gate1.out" 2>&1
	check_eq "one icount boot a side is judged too: boots repeat exactly" 0 $?
}

# The gate-validity script on recorded runs: no guest is booted when every
# try is there (plain TCG: the recorded three-boot run; icount: the
# reference run's 6.12 side against itself).
gate_validity_tests() {
	local v=$T/validity ref=$TOP/results/reference out
	echo "# gate validity: false alarms and detection, on recorded runs"
	mkdir -p "$v/tcg-icount-1"
	cp -r "$TOP/tests/data/tcg-runs3" "$v/tcg-1"
	cp -r "$ref/before" "$v/tcg-icount-1/before"
	cp -r "$ref/before" "$v/tcg-icount-1/after"
	"$TOP/harness/gate-validity.sh" --tries 1 --out "$v" --shifts "10 100" \
		>"$v/table.md" 2>"$v/err"
	check_eq "gate-validity.sh exits 0 on recorded tries" 0 $?
	check_grep "it prints the false-alarm table" "^| accel | runs a side | pairs gated | rows judged | false alarms |$" "$v/table.md"
	check_grep "the same icount kernel against itself: no false alarm" "^| tcg-icount | 1 | 1 | [1-9][0-9]* | 0 |$" "$v/table.md"
	check_grep "the recorded plain-TCG boots against themselves: no false alarm" "^| tcg | 3 | 1 | [1-9][0-9]* | 0 |$" "$v/table.md"
	# columns: | accel | slowdown | rows judged | rows caught |
	out=$(awk -F'|' '{ gsub(/ /, "") } $2 == "tcg-icount" && $3 == "+10%" { print ($4 == $5 && $4 > 0) }' "$v/table.md")
	check_eq "icount: every row 10 % slower is caught at a 5 % threshold" 1 "$out"
	check "plain TCG, three boots: twice as slow is caught on some rows" \
		awk -F'|' '{ gsub(/ /, "") } $2 == "tcg" && $3 == "+100%" { found = $5 > 0 } END { exit !found }' "$v/table.md"
}
