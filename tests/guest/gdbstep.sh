# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/gdbstep.sh: print the addresses gdb needs on the
# console, wait until gdb (on the host, through QEMU's gdbstub) says it has
# set its breakpoints by rewriting the hostname, then measure.
o=/tmp/out
hostname dmabench-gdbstep-waiting
{
	echo "@@GDBSTEP-SYMS-BEGIN@@"
	grep -E ' (init_uts_ns|dma_map_page_attrs|dma_unmap_page_attrs|dma_map_phys|dma_unmap_phys|dma_map_resource|dma_unmap_resource|dma_map_sg_attrs|dma_unmap_sg_attrs|__dma_sync_single_for_device|__dma_sync_single_for_cpu)$' /proc/kallsyms
	grep '\[dmabench\]$' /proc/kallsyms
	echo "@@GDBSTEP-SYMS-END@@"
} >/dev/console
i=0
while [ "$(hostname)" != dmabench-gdbstep-go ] && [ $i -lt 1200 ]; do
	sleep 0.1
	i=$((i + 1))
done
if [ "$(hostname)" != dmabench-gdbstep-go ]; then
	echo "gdbstep: no word from gdb after 120 s" >&2
	exit 3
fi
echo "@@GDBSTEP-GO@@" >/dev/console
dmabench run --quiet --expect-mode "$DMABENCH_MODE" --accel "$DMABENCH_ACCEL" \
	-o $o/gdbstep.json /job/config.ini
