#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/gate-validity.sh [--tries N] [--kernel SPEC] [--out DIR]
#                                 [--threshold PCT] [--shifts "P ..."]
# How often does the gate alarm on nothing, and what does it catch?
# Measures one kernel against itself (tests/configs/runs.ini: direct and
# strict, null/page/phys) N times (default 3) under plain TCG with three
# boots a side and under tcg-icount with one, and gates every before/after
# pair of those tries (N*N pairs per accel): every alarm is a false one.
# Then it scales the after side's net figures by known percentages (the
# samples shifted, each boot alike) and counts the rows the gate catches.
# Prints a Markdown table (docs/measurements.md has one); exits 0 when it
# could measure, whatever the figures.
#   --tries N        matrix runs per accel (default 3)
#   --kernel SPEC    SUITE:SERIES (default trixie:7)
#   --out DIR        keep the runs there (default a temporary folder)
#   --threshold PCT  the gate's threshold (default 5)
#   --shifts "P.."   slowdowns to detect, percent (default "5 10 20 50 100")
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tries=3 kernel=trixie:7 out='' threshold=5 shifts="5 10 20 50 100"
while [ $# -gt 0 ]; do
	case $1 in
	--tries) tries=$2; shift 2 ;;
	--kernel) kernel=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--threshold) threshold=$2; shift 2 ;;
	--shifts) shifts=$2; shift 2 ;;
	-h|--help) script_help; exit 0 ;;
	*) die "unknown argument $1 (see --help)" ;;
	esac
done
case $tries in ''|*[!0-9]*|0) die "--tries '$tries' is not a count of at least 1" ;; esac
runner=$TOP_DIR/build/dmabench
[ -x "$runner" ] || die "build/dmabench is not built (make runner)"
if [ -z "$out" ]; then
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi
mkdir -p "$out"
config=$TOP_DIR/tests/configs/runs.ini

# judged PAIR-OUTPUT: "alarms rows" from the gate's summary line.
judged() {
	sed -n 's/^gate: \([0-9]*\) of \([0-9]*\) rows regressed.*/\1 \2/p' "$1"
}

# shift_after IN OUT PCT: every sample's net figure (per-op, baseline of
# its cell) made PCT percent larger; what a slower kernel would show.
shift_after() {
	mkdir -p "$2"
	for f in "$1"/*.json; do
		jq --argjson p "$3" '.cells |= map(
			if .status == "ok" and .api != "null" then
				.batch as $b | ((.baseline.map_cycles_per_op // 0) * $b) as $bm |
				((.baseline.unmap_cycles_per_op // 0) * $b) as $bu |
				.samples.map |= map((. - $bm) * (1 + $p / 100) + $bm | round) |
				.samples.unmap |= map((. - $bu) * (1 + $p / 100) + $bu | round)
			else . end)' "$f" >"$2/$(basename "$f")"
	done
}

echo "| accel | runs a side | pairs gated | rows judged | false alarms |"
echo "|---|---|---|---|---|"
for accel in tcg tcg-icount; do
	runs=3
	[ $accel = tcg-icount ] && runs=1
	for i in $(seq 1 "$tries"); do
		[ -s "$out/$accel-$i/after/strict.json" ] && continue
		say "$accel: try $i of $tries"
		"$runner" matrix -a "$accel" -r "$runs" -c "$config" -o "$out/$accel-$i" \
			-p "$out/plots-$accel-$i" "$kernel" "$kernel" >"$out/$accel-$i.log" 2>&1 ||
			die "matrix failed: $out/$accel-$i.log"
	done
	pairs=0 rows=0 alarms=0
	for i in $(seq 1 "$tries"); do
		for j in $(seq 1 "$tries"); do
			"$runner" gate --format table --threshold "$threshold" "$out/$accel-$i/before" \
				"$out/$accel-$j/after" >"$out/gate.out" 2>&1 || true
			read -r a r <<<"$(judged "$out/gate.out")"
			pairs=$((pairs + 1)) rows=$((rows + ${r:-0})) alarms=$((alarms + ${a:-0}))
		done
	done
	echo "| $accel | $runs | $pairs | $rows | $alarms |"
done

echo
echo "| accel | slowdown | rows judged | rows caught |"
echo "|---|---|---|---|"
for accel in tcg tcg-icount; do
	for p in $shifts; do
		rows=0 caught=0
		for i in $(seq 1 "$tries"); do
			shift_after "$out/$accel-$i/after" "$out/shifted" "$p"
			"$runner" gate --format table --threshold "$threshold" "$out/$accel-$i/before" \
				"$out/shifted" >"$out/gate.out" 2>&1 || true
			read -r a r <<<"$(judged "$out/gate.out")"
			rows=$((rows + ${r:-0})) caught=$((caught + ${a:-0}))
			rm -rf "$out/shifted"
		done
		echo "| $accel | +$p % | $rows | $caught |"
	done
done
