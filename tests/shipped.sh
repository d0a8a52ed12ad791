# SPDX-License-Identifier: GPL-2.0
# Host logic on the shipped results, without guests: exports reproduce the
# shipped files, units are what they say, docs/results.md lists nothing the
# results lack, plots draw both sides, reports stay 72 columns wide whatever
# a result's strings, and a noisy change above the threshold whose interval
# reaches below it passes the gate. Sourced by tests/run.sh.

shipped_tests() {
	local ref=$TOP/results/reference rec=$TOP/tests/data/tcg-runs3 d=$T/shipped f m n
	echo "# shipped results: exports, units, documented fields"
	mkdir -p "$d"
	n=0
	for f in "$ref"/*/*.json; do
		"$RUNNER" export --csv "$f" | cmp -s - "${f%.json}.csv" || {
			fail "export --csv reproduces ${f#"$TOP"/}'s shipped CSV"
			n=$((n + 1))
		}
	done
	check_eq "export --csv reproduces every shipped CSV (8 files)" "0 8" \
		"$n $(ls "$ref"/*/*.csv | wc -l)"
	# hyperfine's times are seconds: a plain-TCG result, whose counter has a rate
	local tcg1=$rec/runs/after-direct.r1.json
	"$RUNNER" export --hyperfine "$tcg1" >"$d/hf.json"
	check_eq "hyperfine: median time x counter rate = the cell's net median per op" 0 \
		"$(jq --slurpfile r "$tcg1" '
			$r[0].module.cycles_per_sec as $hz |
			[$r[0].cells[] | select(.status == "ok") | .map_cycles_per_op_net, .unmap_cycles_per_op_net] as $want |
			[.results[] | .median * $hz] as $got |
			[range($want | length) | select(($want[.] - $got[.]) | fabs > 1e-6)] | length' "$d/hf.json")"
	check_eq "hyperfine: one time per batch" 0 \
		"$(jq --slurpfile r "$tcg1" '[.results[] | select((.times | length) != $r[0].cells[1].batches)] | length' "$d/hf.json")"
	# Every key the first column of docs/results.md's tables names (but the
	# optional ones) is in a shipped result (the reference run, or the recorded plain-TCG one,
	# which carries the machine and kernel source).
	awk '/^## Top level/ { t = "top" } /^## Cells/ { t = "cell" } /^## Merged/ { t = "" }
	     t && /^\| `/ { split($0, c, "|"); if (c[3] ~ /^ *optional/) next; while (match(c[2], /`[a-z_]+`/)) {
		print t, substr(c[2], RSTART + 1, RLENGTH - 2); c[2] = substr(c[2], RSTART + RLENGTH) } }' \
		"$TOP/docs/results.md" >"$d/fields"
	check "docs/results.md lists fields" test "$(wc -l <"$d/fields")" -gt 25
	n=0
	while read -r where key; do
		if [ "$where" = top ]; then
			jq -e --arg k "$key" 'has($k)' "$ref/after/lazy.json" >/dev/null ||
				jq -e --arg k "$key" 'has($k)' "$rec/before/direct.json" >/dev/null
		else
			jq -e --arg k "$key" '[.cells[] | select(.status == "ok") | has($k)] | any' \
				"$ref/after/lazy.json" >/dev/null
		fi || { fail "docs/results.md's $where key '$key' is in the shipped results"; n=$((n + 1)); }
	done <"$d/fields"
	check_eq "every documented top-level and cell key is in the shipped results" 0 "$n"
	check_eq "... and every key of a shipped cell is documented" "" \
		"$(jq -r '.cells[1] | keys[]' "$ref/after/lazy.json" | while read -r k; do
			grep -qF "\`$k\`" "$TOP/docs/results.md" ||
				printf '%s ' "$k"; done)"

	echo "# shipped results: the text plot, long strings, a noisy gate"
	"$RUNNER" plot -o "$d/plots" "$ref/before" "$ref/after" >/dev/null 2>&1
	# marks inside the frame only: the title says "B before, A after" too
	check "the text plot marks after points (A) inside its frame" \
		awk '/\|/ && gsub(/A/, "&") { n++ } END { exit !n }' "$d/plots/summary.txt"
	check "the text plot marks before points (B) inside its frame" \
		awk '/\|/ && gsub(/B/, "&") { n++ } END { exit !n }' "$d/plots/summary.txt"
	jq '.cells |= map(.status = "unsupported" | .error = "gone")' "$ref/after/direct.json" >"$d/none.json"
	"$RUNNER" plot -o "$d/plots2" "$ref/before/direct.json" "$d/none.json" >/dev/null 2>&1
	check "... and none when the after side has no figure" \
		awk '/\|/ && gsub(/A/, "&") { n++ } END { exit n }' "$d/plots2/summary.txt"
	m=$(printf 'x%.0s' $(seq 1 150))
	mkdir -p "$d/long"
	for f in "$ref"/after/*.json; do
		jq --arg w "$m" '.config.description = $w | .config.path = ("configs/" + $w) |
			.system.kernel_version = ("#1 SMP " + $w) | .system.cpu_model = $w' \
			"$f" >"$d/long/$(basename "$f")"
	done
	"$RUNNER" report "$ref/before" "$d/long" >"$d/long.txt" 2>&1
	check_eq "report with 150-character words in its strings exits 0" 0 $?
	check_eq "... and every line still fits in 72 columns" 0 "$(awk 'length > 72' "$d/long.txt" | wc -l)"
	# A recorded plain-TCG row whose change is beyond 5 % but whose
	# interval reaches below 5 %: noise, not a regression.
	"$RUNNER" compare "$rec/before" "$rec/after" >"$d/rec.txt"
	m=$(awk '/^noise between runs/ { exit } $2 != "null" && $6 ~ /^\+/ && $6 + 0 > 5 {
		split(substr($7, 2), i, ","); if (i[1] + 0 < 5) { print $1, $2, $3; exit } }' "$d/rec.txt")
	check "the recorded run has a row above +5 % whose interval reaches below it" test -n "$m"
	"$RUNNER" gate --threshold 5 "$rec/before" "$rec/after" >"$d/gate.out" 2>&1
	check_eq "the gate passes it (exit 0)" 0 $?
	check_grep "... its KTAP line says ok ($m)" "^ok [0-9]+ default\\.${m// /\\.}$" "$d/gate.out"
}
