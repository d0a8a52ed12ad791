# SPDX-License-Identifier: GPL-2.0
# Guest job that never ends: the harness must time out and say so.
while :; do sleep 1000; done
