#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Unstick a QEMU icount guest with two vCPUs when its output stops.

usage: icount-nudge.py QMP_SOCKET QEMU_PID LOG FILE...

Under -icount with more than one vCPU, QEMU 7.2's round-robin TCG thread
can spin with no instruction budget while the virtual timers it waits for
are run by the main loop, which then does not get the big lock: the guest
stops dead, QEMU at full CPU, for minutes (seen under host load, in the
strict dma_map_benchmark cross-check). Stopping and continuing the VM lets
the main loop run its timers, and the guest goes on. The virtual clock
does not run while the VM is stopped, so under icount the guest sees
nothing of it: the same instructions, the same figures.

Every 5 s this looks at the sizes of FILE... (the console and the result
channel); when none has grown for 30 s (DMABENCH_NUDGE_QUIET) it sends
QMP 'stop' then 'cont' and writes a line to LOG. It ends when QEMU_PID
ends.
"""
import json
import os
import socket
import sys
import time

# DMABENCH_NUDGE_QUIET: the quiet seconds before a nudge (tests use 1)
QUIET_S = max(0.5, float(os.environ.get("DMABENCH_NUDGE_QUIET", "30")))
POLL_S = min(5, QUIET_S / 2)


def sizes(paths):
    total = []
    for p in paths:
        try:
            total.append(os.stat(p).st_size)
        except OSError:
            total.append(-1)
    return total


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    return True


def qmp(sock_path, commands):
    """Run COMMANDS over a fresh QMP connection, reading each one's return."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(sock_path)
        reader = s.makefile("r", encoding="utf-8")
        json.loads(reader.readline())  # the greeting
        for cmd in ["qmp_capabilities"] + commands:
            s.sendall((json.dumps({"execute": cmd}) + "\n").encode())
            while True:  # events may come before the command's answer
                reply = json.loads(reader.readline())
                if "return" in reply or "error" in reply:
                    break


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__.strip().splitlines()[2])
    sock_path, pid, log, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4:]
    last, since = sizes(paths), time.monotonic()
    while alive(pid):
        time.sleep(POLL_S)
        now = sizes(paths)
        if now != last:
            last, since = now, time.monotonic()
            continue
        if time.monotonic() - since < QUIET_S:
            continue
        try:
            qmp(sock_path, ["stop", "cont"])
            what = "stopped and continued the VM"
        except (OSError, ValueError) as e:
            what = f"could not reach QMP: {e}"
        with open(log, "a", encoding="utf-8") as f:
            f.write(f"no guest output for {QUIET_S:g} s: {what}\n")
        since = time.monotonic()


if __name__ == "__main__":
    main()
