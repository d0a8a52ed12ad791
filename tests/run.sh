#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Usage: tests/run.sh [--host-only]
# The dmabench test suite. Fetches the two Debian kernels (cached), builds
# the module for each, boots each in every DMA mode under QEMU/TCG and
# checks what comes back; ends with "N passed, N failed".
#   BEFORE / AFTER   kernels as SUITE:SERIES (default bookworm:6.12, trixie:7)
#   MODES            modes to boot (default "direct strict lazy swiotlb")
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
RUNNER=${RUNNER:-$TOP/build/dmabench}
. "$TOP/tests/lib.sh"
. "$TOP/tests/host.sh"
. "$TOP/tests/results.sh"
. "$TOP/tests/guests.sh"
. "$TOP/tests/reporting.sh"
. "$TOP/tests/series.sh"
. "$TOP/tests/hostile.sh"
. "$TOP/tests/runs.sh"
. "$TOP/tests/shipped.sh"
. "$TOP/tests/mapbench.sh"
. "$TOP/tests/mail.sh"
. "$TOP/tests/plot.sh"
. "$TOP/tests/views.sh"
. "$TOP/tests/kselftest.sh"
. "$TOP/tests/ci.sh"
. "$TOP/tests/sanitize.sh"
. "$TOP/tests/gdbstep.sh"
. "$TOP/tests/explain.sh"
. "$TOP/tests/faults.sh"
. "$TOP/tests/signals.sh"
. "$TOP/tests/bind.sh"
. "$TOP/tests/dkms.sh"
. "$TOP/tests/probes.sh"
. "$TOP/tests/iommus.sh"
. "$TOP/tests/arm64.sh"
. "$TOP/tests/suite.sh"

case "${1:-}" in
-h|--help) sed -n '3,9s/^# \{0,1\}//p' "$0"; exit 0 ;;
--host-only) host_only=1 ;;
"") host_only=0 ;;
*) echo "tests/run.sh: unknown option $1" >&2; exit 2 ;;
esac
[ -x "$RUNNER" ] || { echo "tests/run.sh: build the runner first (make runner)" >&2; exit 2; }
T=$(mktemp -d)
CACHE=${DMABENCH_CACHE:-$TOP/.cache}
trap 'rm -rf "$T"' EXIT
BEFORE=${BEFORE:-bookworm:6.12}
AFTER=${AFTER:-trixie:7}
MODES=${MODES:-direct strict lazy swiotlb}
SUITE_T0=${EPOCHREALTIME/./}

# setup_kernel WHICH SUITE:SERIES: fetch the kernel (and its build root)
# and build the module; the kernel's id goes to $T/kid.
setup_kernel() {
	local which=$1 kernel=$2 k rc
	echo "# setup: the $which kernel ($kernel) and its module"
	k=$("$TOP/harness/fetch-kernel.sh" "${kernel%%:*}" "${kernel#*:}") &&
		"$TOP/harness/build-module.sh" "$k" >/dev/null
	rc=$?
	check_eq "$which kernel ($kernel) fetched and module built" 0 $rc
	[ $rc -eq 0 ] && echo "$k" >"$T/kid"
}

checkpatch_tests() {
	local rc
	echo "# style: kernel code"
	"$TOP/harness/checkpatch.sh" >"$T/checkpatch.out" 2>&1
	rc=$?
	if [ $rc -eq 0 ] && ! grep -q ': \(ERROR\|WARNING\|CHECK\):' "$T/checkpatch.out"; then
		pass "bench-module passes checkpatch.pl --strict"
	else
		fail "bench-module passes checkpatch.pl --strict" "$(head -n 5 "$T/checkpatch.out")"
	fi
}

# tree_lane: the scratch tree and its kernels built from source, series,
# CI, then (once the setup lanes are done) dma_map_benchmark, kselftest,
# explain on the Debian pair and the tree. The longest lane: it starts
# first, its kernels build beside the Debian kernels' guests.
tree_lane() {
	local kb ka
	timed "the scratch kernel tree imported" "$TOP/tests/kernel-tree.sh" >/dev/null
	check_eq "the scratch kernel tree is made" 0 $?
	timed series_tests series_tests
	timed ci_tests ci_tests
	lane_wait before after
	kb=$(cat "${T%/lane-*}/lane-before/kid" 2>/dev/null)
	ka=$(cat "${T%/lane-*}/lane-after/kid" 2>/dev/null)
	timed mapbench_tests mapbench_tests "$kb"
	timed kselftest_tests kselftest_tests "$ka"
	timed explain_guest_tests explain_guest_tests "$kb" "$ka"
}

# debian_lane KB KA: the two Debian kernels in every mode and tool.
debian_lane() {
	local kb=$1 ka=$2 first
	# (DKMS and probes build beside the tree's kernels: harness/lib.sh)
	timed "dkms_tests after" dkms_tests "$ka"
	timed "probe_tests after" probe_tests "$ka"
	timed "dkms_tests before" dkms_tests "$kb"
	timed "probe_tests before" probe_tests "$kb"
	# shellcheck disable=SC2086
	timed "guest_tests before" guest_tests "$kb" 0 $MODES
	# shellcheck disable=SC2086
	timed "guest_tests after" guest_tests "$ka" 1 $MODES
	first=$(ls "$T/sets/$ka"/*.json 2>/dev/null | head -n1)
	if [ -n "$first" ]; then
		timed result_reader_tests result_reader_tests "$first"
		timed real_channel_tests real_channel_tests "$T/guest/$ka/$(basename "$first" .json)/channel.log"
	else
		fail "a guest result to test the reader on" "no guest produced a result"
	fi
	timed compare_tests compare_tests "$T/sets/$kb" "$T/sets/$ka"
	timed reporting_tests reporting_tests "$T/sets/$kb" "$T/sets/$ka" "$T/sizes/$kb" "$T/sizes/$ka"
	timed timeout_tests timeout_tests "$kb"
	timed matrix_tests matrix_tests "$BEFORE" "$AFTER"
	timed "icount_tests before" icount_tests "$kb" 0
	timed "icount_tests after" icount_tests "$ka" 1
	timed "gdbstep_tests before" gdbstep_tests "$kb" 0
	timed "gdbstep_tests after" gdbstep_tests "$ka" 1
	timed runs_tests runs_tests
	timed explain_mode_tests explain_mode_tests "$ka"
	timed explain_matrix_tests explain_matrix_tests "$BEFORE" "$AFTER"
	timed faults_tests faults_tests "$kb" "$ka"
	timed signal_tests signal_tests "$kb" "$BEFORE" "$AFTER"
	timed "bind_tests before" bind_tests "$kb"
	timed "bind_tests after" bind_tests "$ka"
	timed iommu_tests iommu_tests "$ka" "$BEFORE" "$AFTER"
	timed arm64_tests arm64_tests "$BEFORE" "$AFTER"
}

timed suite_tests suite_tests
timed host_tests host_tests
timed cpu_list_tests cpu_list_tests
timed stats_tests stats_tests
timed gate_tests gate_tests
timed series_host_tests series_host_tests
timed hostile_tests hostile_tests
timed runs_host_tests runs_host_tests
timed gate_validity_tests gate_validity_tests
timed shipped_tests shipped_tests
timed mapbench_host_tests mapbench_host_tests
timed kselftest_host_tests kselftest_host_tests
timed ci_host_tests ci_host_tests
timed explain_host_tests explain_host_tests
timed bind_fake_tests bind_fake_tests
timed iommu_host_tests iommu_host_tests
timed nudge_host_tests nudge_host_tests
timed early_panic_host_tests early_panic_host_tests
timed mail_host_tests mail_host_tests
timed report_setup_host_tests report_setup_host_tests
timed series_mbox_host_tests series_mbox_host_tests
timed report_explain_host_tests report_explain_host_tests
timed plot_title_host_tests plot_title_host_tests
timed plot_na_host_tests plot_na_host_tests
timed plot_change_host_tests plot_change_host_tests
timed plot_gap_host_tests plot_gap_host_tests
timed plot_summary_host_tests plot_summary_host_tests
timed report_caution_host_tests report_caution_host_tests
timed views_host_tests views_host_tests
timed iommu_recorded_tests iommu_recorded_tests
timed arm64_recorded_tests arm64_recorded_tests
if [ "$host_only" = 0 ]; then
	# every host test again under the sanitizers, and the fuzzers: minutes
	# fetches and builds (network, disk, the build roots) beside the
	# sanitizers' CPU-bound host tests
	lane before setup_kernel before "$BEFORE"
	lane after setup_kernel after "$AFTER"
	lane tree tree_lane
	timed sanitizer_tests sanitizer_tests
	lane_join before after
	kb=$(cat "$T/lane-before/kid" 2>/dev/null) ka=$(cat "$T/lane-after/kid" 2>/dev/null)
	timed "checkpatch.pl --strict" checkpatch_tests
	lane_fg debian debian_lane "$kb" "$ka"
	lane_join tree
fi
timing_table
summary
