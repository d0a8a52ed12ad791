#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/ci-gate.sh --tree DIR [options] BASE..HEAD
# The CI step: measure a kernel tree's BASE and HEAD built from source
# ('dmabench series', under tcg-icount by default), gate HEAD against BASE
# and exit with the gate's code, so a CI job needs nothing else. Prints the
# gate's KTAP and writes it (gate.ktap), the same verdicts as JUnit XML for
# CI test views (gate.junit.xml), the report and the results to --out.
#   --tree DIR          the kernel git tree (required)
#   --config FILE       dmabench config (default configs/demo.ini); its
#                       [gate] section gives thresholds
#   --threshold RULE    a gate rule, [MODE/API/OP=]VALUE (repeatable)
#   --kconfig FILE      your .config instead of the merged default
#   --accel NAME        tcg-icount (default), tcg or kvm
#   --runs N            boots per kernel and mode
#   --kcidb FILE        also write the comparison in KCIDB's layout there
#   --out DIR           results (default results/ci-HEAD12)
# Exit status, the gate's: kselftest's 0 no regression, 1 regression, 4
# nothing could be judged; 5 (not 2, kselftest's XFAIL) bad usage or a
# series that could not be measured (the base does not build or boot, a
# needed kernel option is missing).
set -uo pipefail
. "$(dirname "$0")/lib.sh"

tree='' config=$TOP_DIR/configs/demo.ini kconfig='' accel=tcg-icount runs='' kcidb='' out=''
rules=()
while [ $# -gt 0 ]; do
	case $1 in
	--tree) tree=$2; shift 2 ;;
	--config) config=$2; shift 2 ;;
	--threshold) rules+=(--threshold "$2"); shift 2 ;;
	--kconfig) kconfig=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--runs) runs=$2; shift 2 ;;
	--kcidb) kcidb=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	-h|--help) script_help; exit 0 ;;
	-*) say "error: unknown option $1 (see --help)"; exit 5 ;;
	*) break ;;
	esac
done
if [ $# -ne 1 ] || [ -z "$tree" ]; then
	say "usage: harness/ci-gate.sh --tree DIR [options] BASE..HEAD (see --help)"
	exit 5
fi
range=$1
case $range in *..*) ;; *) say "error: '$range' is not BASE..HEAD"; exit 5 ;; esac
runner=$TOP_DIR/build/dmabench
[ -x "$runner" ] || { say "error: build/dmabench is not built (make runner)"; exit 5; }
head=$(git -C "$tree" rev-parse --verify --end-of-options "${range#*..}^{commit}" 2>/dev/null) ||
	{ say "error: ${range#*..} is not a revision of $tree"; exit 5; }
out=${out:-$TOP_DIR/results/ci-${head:0:12}}

series=("$runner" series --tree "$tree" --config "$config" --accel "$accel" --out "$out"
	--plots "$out/plots")
[ -n "$kconfig" ] && series+=(--kconfig "$kconfig")
[ -n "$runs" ] && series+=(--runs "$runs")
if ! "${series[@]}" "$range" >&2; then
	say "error: the series could not be measured (above); no verdict"
	exit 5
fi
"$runner" gate --config "$config" "${rules[@]}" "$out/before" "$out/after" | tee "$out/gate.ktap"
rc=${PIPESTATUS[0]}
"$runner" gate --format junit --config "$config" "${rules[@]}" "$out/before" "$out/after" \
	>"$out/gate.junit.xml"
if [ -n "$kcidb" ]; then
	"$runner" kcidb --config "$config" "${rules[@]}" -o "$kcidb" "$out/before" "$out/after" ||
		say "warning: the KCIDB export failed; the verdict stands"
fi
say "gate exit $rc; report in $out/report.txt"
exit "$rc"
