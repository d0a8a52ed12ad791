# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/iommus.sh: a virtio-iommu whose driver (a module in
# Debian's kernels) was left out of the initramfs. The edu device waits
# for it; the runner must name the missing module, at once and after the
# kernel gave up waiting and bound edu without an IOMMU.
o=/tmp/out
dmabench info >$o/info-at-once.txt 2>&1
echo $? >$o/info-at-once.rc
n=0
while [ ! -e /dev/dmabench ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n + 1)); done
dmabench run -q --expect-mode strict -o $o/strict.json /job/config.ini >$o/run-late.txt 2>&1
echo $? >$o/run-late.rc
