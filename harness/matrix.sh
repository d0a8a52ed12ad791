#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: harness/matrix.sh [options] BEFORE AFTER
# Run a config on two kernels in every DMA mode it names and print the
# before/after table. BEFORE and AFTER are Debian kernels as SUITE:SERIES
# (bookworm:6.12, trixie:7); the newest of each series is fetched once.
#
#   --config FILE  config to measure (default configs/demo.ini)
#   --accel NAME   tcg (default), tcg-icount or kvm
#   --out DIR      result folder (default results/RUN-ID)
#   --timeout SEC  per guest (default 900)
# Writes DIR/before/MODE.json (and .csv), DIR/after/MODE.json with each
# guest's console and kernel log beside them, DIR/compare.txt,
# DIR/report.txt, and plots/RUN-ID/ (PNG, SVG, summary.txt).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

config=$TOP_DIR/configs/demo.ini accel=tcg out= timeout=900
while [ $# -gt 0 ]; do
	case $1 in
	--config) config=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	-h|--help) sed -n '3,14s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option $1 (see --help)" ;;
	*) break ;;
	esac
done
[ $# -eq 2 ] || die "usage: matrix.sh [options] BEFORE AFTER (see --help)"
runner=$TOP_DIR/runner/dmabench
[ -x "$runner" ] || die "runner/dmabench is not built (make -C runner)"
modes=$("$runner" config --modes "$config") || exit 2
[ -n "$out" ] || out=$TOP_DIR/results/$(date -u +%Y%m%d-%H%M%S)

declare -A kver
for label in before after; do
	spec=$1; shift
	case $spec in *:*) ;; *) die "kernel '$spec' is not SUITE:SERIES (e.g. trixie:7)" ;; esac
	kver[$label]=$("$HARNESS_DIR/fetch-kernel.sh" "${spec%%:*}" "${spec#*:}")
	"$HARNESS_DIR/build-module.sh" "${kver[$label]}" >/dev/null
done

total=$((2 * $(wc -w <<<"$modes"))) n=0
for label in before after; do
	mkdir -p "$out/$label"
	for mode in $modes; do
		n=$((n + 1))
		say "[$n/$total] $label ${kver[$label]} $mode ($accel)"
		tmp=$out/$label/.$mode
		rm -rf "$tmp"
		"$HARNESS_DIR/boot.sh" --config "$config" --accel "$accel" \
			--timeout "$timeout" "${kver[$label]}" "$mode" "$tmp"
		mv "$tmp/$mode.json" "$out/$label/$mode.json"
		mv "$tmp/console.log" "$out/$label/$mode.console.log"
		mv "$tmp/dmesg.log" "$out/$label/$mode.dmesg.log"
		mv "$tmp/channel.log" "$out/$label/$mode.channel.log"
		"$runner" export --csv -o "$out/$label/$mode.csv" "$out/$label/$mode.json"
		rm -rf "$tmp"
	done
done
"$runner" compare "$out/before" "$out/after" | tee "$out/compare.txt"
"$runner" report -o "$out/report.txt" "$out/before" "$out/after"
plots=$TOP_DIR/plots/$(basename "$out")
mkdir -p "$plots"
"$runner" plot -o "$plots" "$out/before" "$out/after"
ln -sfn "$(basename "$out")" "$(dirname "$out")/latest" 2>/dev/null || true
ln -sfn "$(basename "$out")" "$TOP_DIR/plots/latest" 2>/dev/null || true
say "results in $out (report.txt to paste), plots in $plots"
