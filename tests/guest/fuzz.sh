# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/faults.sh: 10,000 random and edge-value requests
# (dmabench fuzz), with the module's live buffer pages, the swiotlb pool
# and memory read before and after,
# the module's deadline low so that valid long requests end quickly.
o=/tmp/out
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
tlb=/sys/kernel/debug/swiotlb/io_tlb_used
mem() {
	sync; echo 3 >/proc/sys/vm/drop_caches
	grep -E '^(MemFree|Slab|VmallocUsed):' /proc/meminfo >$o/meminfo-$1.txt
	cat $tlb >$o/tlb-$1.txt 2>/dev/null
	cat /sys/kernel/debug/dmabench/live_pages >$o/pages-$1.txt 2>/dev/null
}
dmabench request >/dev/null 2>&1
mem before
echo 50 >/sys/module/dmabench/parameters/max_run_ms
dmabench fuzz --count "${FUZZ_COUNT:-10000}" --seed 1 >$o/fuzz.txt 2>&1
echo $? >$o/fuzz.rc
echo 600000 >/sys/module/dmabench/parameters/max_run_ms
mem after
rmmod dmabench >$o/rmmod.txt 2>&1; echo $? >$o/rmmod.rc
exit 0
