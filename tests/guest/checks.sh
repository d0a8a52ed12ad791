# SPDX-License-Identifier: GPL-2.0
# Guest job of the test suite: everything the host asserts on afterwards,
# each command's output and exit code in /tmp/out.
o=/tmp/out
other=direct
[ "$DMABENCH_MODE" = direct ] && other=strict
run() {
	dmabench run --quiet --expect-mode "$DMABENCH_MODE" --accel "$DMABENCH_ACCEL" "$@"
}

dmabench info --json >$o/info.json; echo $? >$o/info.rc
run -o $o/result.json /job/config.ini >$o/run.txt 2>&1; echo $? >$o/run.rc
[ -e /job/apis.ini ] && { run -o $o/apis.json /job/apis.ini >$o/apis.txt 2>&1; echo $? >$o/apis.rc; }
[ -e /job/sizes.ini ] && { run -o $o/sizes.json /job/sizes.ini >$o/sizes.txt 2>&1; echo $? >$o/sizes.rc; }
dmabench selftest >$o/selftest.txt 2>&1; echo $? >$o/selftest.rc
dmabench request api=99 >$o/req-api.txt 2>&1; echo $? >$o/req-api.rc
dmabench request size=0 >$o/req-size0.txt 2>&1; echo $? >$o/req-size0.rc
dmabench request size=4M >$o/req-size4m.txt 2>&1; echo $? >$o/req-size4m.rc
dmabench request api=page >$o/req-ok.txt 2>&1; echo $? >$o/req-ok.rc
dmabench run --quiet --expect-mode $other -o $o/mismatch.json /job/config.ini \
	>$o/mismatch.txt 2>&1; echo $? >$o/mismatch.rc
rmmod dmabench >$o/rmmod.txt 2>&1; echo $? >$o/rmmod.rc
exit 0
