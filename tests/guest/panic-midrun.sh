# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/signals.sh: the kernel panics in the middle of a run
# (tests/configs/midrun.ini), while its third cell measures. The two cells
# measured before must come home.
dmabench run --quiet --accel "$DMABENCH_ACCEL" --cell-frames /dev/ttyS1 \
	-o /tmp/out/never.json /job/config.ini &
# Under icount the guest's clock follows its instructions: cells 1 and 2
# (64 ops each) take well under a second of it, the third (a billion ops)
# minutes.
sleep 5
echo c >/proc/sysrq-trigger
sleep 1000
