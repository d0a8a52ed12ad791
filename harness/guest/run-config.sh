# SPDX-License-Identifier: GPL-2.0
# Guest job: measure /job/config.ini in the mode the harness booted.
dmabench info
dmabench run --quiet --expect-mode "$DMABENCH_MODE" --accel "$DMABENCH_ACCEL" \
	--config-name "$DMABENCH_CONFIG_NAME" \
	${DMABENCH_KERNEL_SOURCE:+--kernel-source "$DMABENCH_KERNEL_SOURCE"} \
	--machine /job/machine.json -o "/tmp/out/$DMABENCH_MODE.json" \
	--cell-frames /dev/ttyS1 \
	${DMABENCH_EXPLAIN:+--explain "/tmp/out/$DMABENCH_MODE.kallsyms.gz"} \
	/job/config.ini 2>/tmp/run.err
rc=$?
cat /tmp/run.err >&2
# Exit 3, the kernel running another mode than asked: when the runner
# says the mode is not available here, that is the answer, not a failure.
if [ "$rc" -eq 3 ] && grep -q 'not available on this machine' /tmp/run.err; then
	sed -n 's/^dmabench: error: //p' /tmp/run.err >"/tmp/out/$DMABENCH_MODE.unavailable"
	exit 0
fi
[ "$rc" -eq 0 ] || exit "$rc"
# The kernel's own dma_map_benchmark beside the first `single` cell, after
# every measurement (a config without one is left alone): recorded in the
# result as "map_benchmark"; a failure is recorded there too, the cells stay.
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
dmabench mapbench --result "/tmp/out/$DMABENCH_MODE.json" ||
	echo "dmabench-guest: the dma_map_benchmark cross-check failed (see the result)"
exit 0
