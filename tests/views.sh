# SPDX-License-Identifier: GPL-2.0
# One comparison, every view: every recorded pair in the repository through
# compare, report, plot, gate (KTAP, table, JUnit), kcidb and export, with
# tests/views/check.py checking that they state the same figures,
# intervals and verdicts and exit alike. Sourced by tests/run.sh.

# views_pairs NAME BEFORE AFTER ...: each pair through every view, two
# at a time (each is a dozen runner calls), then one verdict per pair.
views_pairs() {
	local i=0 name
	local -a names=()
	while [ $# -ge 3 ]; do
		names+=("$1")
		mkdir -p "$T/views/$i"
		# a pair whose name says "refused" must be refused by every view
		python3 "$TOP/tests/views/check.py" "$RUNNER" "$2" "$3" "$T/views/$i" \
			$([[ $1 == *refused* ]] && echo --refused) >"$T/views/$i.out" 2>&1 &
		i=$((i + 1))
		shift 3
		[ $((i % 2)) -ne 0 ] || wait
	done
	wait
	i=0
	for name in "${names[@]}"; do
		check_eq "$name: every view states compare's figures, intervals and verdicts" "" \
			"$(grep -v '^checked [0-9]*$' "$T/views/$i.out")"
		check "$name: ... relations checked" grep -qE '^checked [1-9][0-9]*$' "$T/views/$i.out"
		i=$((i + 1))
	done
}

views_host_tests() {
	local data=$TOP/tests/data ref=$TOP/results/reference
	echo "# one comparison, every view"
	mkdir -p "$T/views-cfg"
	jq '.config.text += "\n; another question"' "$ref/after/direct.json" >"$T/views-cfg/direct.json"
	views_pairs "the reference run" "$ref/before" "$ref/after" \
		"tests/data/explain" "$data/explain/before" "$data/explain/after" \
		"tests/data/tcg-runs3" "$data/tcg-runs3/before" "$data/tcg-runs3/after" \
		"tests/data/iommus" "$data/iommus/before" "$data/iommus/after" \
		"tests/data/arm64" "$data/arm64/before" "$data/arm64/after" \
		"tests/data/iommus, a second boot" "$data/iommus/after" "$data/iommus/again" \
		"one plain-TCG boot a side (no verdict anywhere)" \
		"$data/tcg-runs3/runs/before-direct.r1.json" "$data/tcg-runs3/runs/after-direct.r1.json" \
		"two accels (refused by every view)" "$ref/before" "$data/tcg-runs3/after" \
		"two configs (refused by every view)" "$ref/before/direct.json" "$T/views-cfg/direct.json"
}
