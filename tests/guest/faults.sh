# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/faults.sh: unbind the device under a running request
# and under an open file, rmmod while open, two runs at once, the module's
# deadline, and (booted with a tiny swiotlb pool) bounce-pool exhaustion.
# Each step's output and exit code land in /tmp/out.
o=/tmp/out
drv=/sys/bus/pci/drivers/dmabench
pci=$(ls $drv | grep ':' | head -n1)
echo "$pci" >$o/pci.txt
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
tlb=/sys/kernel/debug/swiotlb/io_tlb_used
# wait_for_text FILE TEXT: until FILE says TEXT (at most 120 s)
wait_for_text() {
	n=0
	while ! grep -q "$2" "$1" 2>/dev/null && [ $n -lt 1200 ]; do
		sleep 0.1; n=$((n + 1))
	done
}

if grep -q 'swiotlb=64' /proc/cmdline; then
	[ -r $tlb ] && cat $tlb >$o/tlb-before.txt
	# 1024 x 4 KiB mapped at once: more than the pool holds
	dmabench request pattern=batch batch=1024 size=4096 batches=2 \
		>$o/exhaust.txt 2>&1; echo $? >$o/exhaust.rc
	[ -r $tlb ] && cat $tlb >$o/tlb-after.txt
	dmabench request pattern=batch batch=8 size=4096 >$o/after-exhaust.txt 2>&1
	echo $? >$o/after-exhaust.rc
	rmmod dmabench >$o/rmmod.txt 2>&1; echo $? >$o/rmmod.rc
	exit 0
fi

# A long run (A), a second run while it measures (B), then unbind under A.
# Run A needs a moment to reach its RUN: the second request is retried
# until it meets A measuring (INFO does not wait for a RUN, so it can).
dmabench request batch=64 batches=1000000 warmup=0 >$o/inflight.txt 2>&1 &
a=$!
n=0
while [ $n -lt 5000 ]; do
	n=$((n + 1))
	dmabench request batches=1 >$o/second.txt 2>&1 || { echo $? >$o/second.rc; break; }
done
echo $n >$o/second-tries.txt
echo "$pci" >$drv/unbind; echo $? >$o/unbind-inflight.rc
wait $a; echo $? >$o/inflight.rc
[ -e /dev/dmabench ] && echo present >$o/node-after-unbind.txt
dmabench info >$o/info-unbound.txt 2>&1; echo $? >$o/info-unbound.rc
echo "$pci" >$drv/bind; echo $? >$o/rebind1.rc
dmabench request >$o/after-rebind1.txt 2>&1; echo $? >$o/after-rebind1.rc

# A file open across the unbind: its next ioctl must say ENODEV.
rm -f /tmp/go
dmabench request --wait-for /tmp/go >$o/open-unbind.txt 2>&1 &
a=$!
wait_for_text $o/open-unbind.txt 'device open'
echo "$pci" >$drv/unbind; echo $? >$o/unbind-open.rc
# the open file still holds the module: rmmod must refuse
rmmod dmabench >$o/rmmod-open-unbound.txt 2>&1; echo $? >$o/rmmod-open-unbound.rc
touch /tmp/go
wait $a; echo $? >$o/open-unbind.rc
echo "$pci" >$drv/bind; echo $? >$o/rebind2.rc

# rmmod while the node is open (bound): refused, and the file still works.
rm -f /tmp/go
dmabench request --wait-for /tmp/go >$o/open-rmmod.txt 2>&1 &
a=$!
wait_for_text $o/open-rmmod.txt 'device open'
rmmod dmabench >$o/rmmod-open.txt 2>&1; echo $? >$o/rmmod-open.rc
touch /tmp/go
wait $a; echo $? >$o/open-rmmod.rc

# The module's deadline: a request far longer than 300 ms is stopped.
echo 300 >/sys/module/dmabench/parameters/max_run_ms
dmabench request batch=64 batches=1000000 warmup=0 >$o/deadline.txt 2>&1
echo $? >$o/deadline.rc
# A request's own deadline may not outlast the module's.
dmabench request batch=64 batches=1000000 warmup=0 deadline_ms=100000 >$o/longer.txt 2>&1
echo $? >$o/longer.rc
echo 600000 >/sys/module/dmabench/parameters/max_run_ms
# ... but it stops a request sooner than the module would.
dmabench request batch=64 batches=1000000 warmup=0 deadline_ms=300 >$o/own.txt 2>&1
echo $? >$o/own.rc

# One buffer larger than any page allocation (2 MiB x 64 sg entries,
# within the 256 MiB footprint): the module's own memory, not the DMA layer.
dmabench request api=sg nents=64 size=2M batch=1 >$o/alloc.txt 2>&1; echo $? >$o/alloc.rc

dmabench request >$o/final.txt 2>&1; echo $? >$o/final.rc
rmmod dmabench >$o/rmmod.txt 2>&1; echo $? >$o/rmmod.rc
exit 0
