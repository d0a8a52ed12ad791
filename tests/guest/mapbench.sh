# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/mapbench.sh: the harness's own job (/job/run-config.sh,
# which measures and then cross-checks with dma_map_benchmark), a second
# dmabench run on the device it gave back, and the cross-check's error paths.
o=/tmp/out
sh /job/run-config.sh >$o/main.txt 2>&1; echo $? >$o/main.rc
dmabench run --quiet --expect-mode "$DMABENCH_MODE" --accel "$DMABENCH_ACCEL" \
	-o $o/again.json /job/config.ini >$o/again.txt 2>&1; echo $? >$o/again.rc
if [ -d /sys/bus/pci/drivers/dma_map_benchmark ]; then
	# a request the kernel refuses (a 1-bit DMA mask): an error, device back
	cp $o/again.json $o/refused.json
	dmabench mapbench --dma-bits 1 --result $o/refused.json >$o/refused.txt 2>&1
	echo $? >$o/refused.rc
	# no debugfs: an error before the device is touched
	umount /sys/kernel/debug
	cp $o/again.json $o/nodebugfs.json
	dmabench mapbench --result $o/nodebugfs.json >$o/nodebugfs.txt 2>&1
	echo $? >$o/nodebugfs.rc
	dmabench info --json >$o/info-end.json 2>&1; echo $? >$o/info-end.rc
fi
exit 0
