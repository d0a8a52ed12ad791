# SPDX-License-Identifier: GPL-2.0
# Guest job: measure /job/config.ini in the mode the harness booted.
dmabench info
dmabench run --quiet --expect-mode "$DMABENCH_MODE" --accel "$DMABENCH_ACCEL" \
	--config-name "$DMABENCH_CONFIG_NAME" \
	${DMABENCH_KERNEL_SOURCE:+--kernel-source "$DMABENCH_KERNEL_SOURCE"} \
	--machine /job/machine.json -o "/tmp/out/$DMABENCH_MODE.json" \
	/job/config.ini
