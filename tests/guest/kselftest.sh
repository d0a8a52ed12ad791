# SPDX-License-Identifier: GPL-2.0
# Guest job: run an installed kselftest tree (/job/ksft.tar, made by
# 'make -C tools/testing/selftests TARGETS=dmabench install') the way a
# machine under test runs it: its own run_kselftest.sh, which loads its own
# copy of dmabench.ko.
rmmod dmabench
# what udev makes on a real system; the runner logs to /dev/stdout
[ -e /dev/stdout ] || ln -s /proc/self/fd/1 /dev/stdout
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
mkdir -p /tmp/ksft
tar -xf /job/ksft.tar -C /tmp/ksft
cd /tmp/ksft || exit 1
# through a pipe: the runner appends the tests' own lines to /dev/stdout,
# which a plain file's offset would write over
(DMABENCH_EXPECT_MODE=$DMABENCH_MODE ./run_kselftest.sh; echo $? >/tmp/out/ksft.rc) 2>&1 |
	cat >/tmp/out/ksft.txt
# and once more expecting a mode this guest is not in: the test must fail
(DMABENCH_EXPECT_MODE=swiotlb ./run_kselftest.sh; echo $? >/tmp/out/ksft-wrong.rc) 2>&1 |
	cat >/tmp/out/ksft-wrong.txt
