#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# dmabench's functional checks in KTAP: load dmabench.ko (beside this test,
# or modprobe), check the DMA mode it detects, run the module's own checks
# of malformed requests and one short measurement, unload what it loaded.
#   DMABENCH_EXPECT_MODE  direct, strict, lazy, swiotlb or passthrough:
#                         fail when the module detects another mode
# Exit status (kselftest's): 0 pass, 1 fail, 4 skip.
DIR=$(cd "$(dirname "$0")" && pwd)
KSFT_FAIL=1
KSFT_SKIP=4
n=0
failed=0

skip_all() {
	echo "KTAP version 1"
	echo "1..0 # SKIP $1"
	exit $KSFT_SKIP
}

result() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
}

diag() {
	sed 's/^/# /'
}

[ "$(id -u)" = 0 ] || skip_all "needs root (it loads a module)"
[ -x "$DIR/dmabench" ] || skip_all "the dmabench runner is not beside this test"
loaded=0
if [ ! -e /dev/dmabench ]; then
	if [ -f "$DIR/dmabench.ko" ]; then
		insmod "$DIR/dmabench.ko" 2>/dev/null || skip_all "insmod dmabench.ko failed"
	elif ! modprobe dmabench 2>/dev/null; then
		skip_all "dmabench.ko is neither loaded, beside this test, nor installed"
	fi
	loaded=1
	i=0
	while [ ! -e /dev/dmabench ] && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e /dev/dmabench ] || skip_all "dmabench.ko loaded but bound no device (/dev/dmabench)"
fi

echo "KTAP version 1"
echo "1..5"
# KTAP: a test's diagnostics come before its result line
out=$("$DIR/dmabench" info 2>&1)
rc=$?
echo "$out" | diag
result $rc info
mode=$(echo "$out" | sed -n 's/^mode: *\([a-z]*\).*/\1/p')
if [ -z "${DMABENCH_EXPECT_MODE:-}" ]; then
	n=$((n + 1))
	echo "ok $n detected_mode # SKIP no DMABENCH_EXPECT_MODE to check ($mode detected)"
else
	echo "# detected: $mode"
	[ "$mode" = "$DMABENCH_EXPECT_MODE" ]
	result $? "detected_mode_$DMABENCH_EXPECT_MODE"
fi
out=$("$DIR/dmabench" selftest 2>&1)
rc=$?
echo "$out" | tail -n 3 | diag
result $rc selftest
tmp=$(mktemp -d)
"$DIR/dmabench" run --quiet -o "$tmp/quick.json" "$DIR/quick.ini" >"$tmp/run.log" 2>&1
rc=$?
diag <"$tmp/run.log"
result $rc measure
"$DIR/dmabench" check "$tmp/quick.json" >"$tmp/check.log" 2>&1
rc=$?
diag <"$tmp/check.log"
result $rc result_valid
rm -rf "$tmp"
if [ $loaded = 1 ]; then
	rmmod dmabench 2>&1 | diag
fi
[ $failed = 0 ] || exit $KSFT_FAIL
exit 0
