# SPDX-License-Identifier: GPL-2.0
# Guest job of tests/signals.sh: the guest kernel panics (sysrq 'c').
# The harness must come back in bounded time and name the panic.
echo c >/proc/sysrq-trigger
sleep 1000
