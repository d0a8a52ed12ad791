# SPDX-License-Identifier: GPL-2.0
# gdb -batch -x tests/gdbstep.py, driven by tests/gdbstep.sh: single-steps
# the timed loops of a dmabench guest booted with harness/boot.sh --gdb.
#
# Environment: GDBSTEP_PORT (QEMU's gdbstub), GDBSTEP_CONSOLE (the guest's
# console log), GDBSTEP_OUT (JSON written here), GDBSTEP_LOOPS (loop names,
# e.g. "page page_twin"), GDBSTEP_WAIT (seconds to wait for the guest).
#
# For each loop function loop_NAME: a breakpoint on its entry (one call per
# batch); on the second call (the first measured batch after one warm-up
# batch) breakpoints on its counter reads (rdtsc/rdtscp), and from the
# first one reached (t0 of op 0) every instruction is single-stepped for
# two ops: 8 regions between counter reads, in the pair loop's order map,
# check, unmap, loop. Steps with the pc outside the loop function are
# steps inside the calls it made, from the callee's entry until control is
# back at the return address; the callee's entry address is recorded.
import json
import os
import re
import sys
import time

import gdb


def die(msg):
    sys.stderr.write("gdbstep: %s\n" % msg)
    sys.stderr.flush()
    os._exit(1)


port = os.environ["GDBSTEP_PORT"]
console = os.environ["GDBSTEP_CONSOLE"]
out = os.environ["GDBSTEP_OUT"]
wanted = os.environ["GDBSTEP_LOOPS"].split()
deadline = time.time() + float(os.environ.get("GDBSTEP_WAIT", "600"))

# 1. The guest prints the symbols it has, then waits for us.
text = ""
while True:
    try:
        with open(console, errors="replace") as f:
            text = f.read()
    except OSError:
        text = ""
    if "@@GDBSTEP-SYMS-END@@" in text:
        break
    if "dmabench-guest: job exit" in text or time.time() > deadline:
        die("the guest never printed its symbols (console: %s)" % console)
    time.sleep(0.5)
block = text.split("@@GDBSTEP-SYMS-BEGIN@@", 1)[1].split("@@GDBSTEP-SYMS-END@@", 1)[0]
syms = {}
module = []
for line in block.splitlines():
    m = re.match(r"\s*([0-9a-f]{16}) (\w) (\S+)(\s+\[dmabench\])?\s*$", line)
    if not m:
        continue
    addr = int(m.group(1), 16)
    syms.setdefault(m.group(3), addr)
    if m.group(4):
        module.append((addr, m.group(3)))
module.sort()
if "init_uts_ns" not in syms or not module:
    die("symbols missing from the console (init_uts_ns, module)")
names = {}
for a, n in module:
    names.setdefault(a, n)
kernel_names = {v: k for k, v in syms.items() if k != "init_uts_ns"}


def extent(name):
    start = syms.get(name)
    if start is None:
        die("no symbol %s in the guest" % name)
    later = [a for a, _ in module if a > start]
    return start, (min(later) if later else start + 0x1000)


# 2. Attach: QEMU stops the guest while we hold it.
gdb.execute("set pagination off")
gdb.execute("set confirm off")
gdb.execute("set remotetimeout 30")
gdb.execute("set tcp connect-timeout 30")
gdb.execute("set architecture i386:x86-64", to_string=True)
try:
    gdb.execute("target remote 127.0.0.1:%s" % port, to_string=True)
except gdb.error as e:
    die("cannot attach to QEMU's gdbstub on port %s: %s" % (port, e))
gdb.execute("set scheduler-locking step")
inf = gdb.selected_inferior()
arch = gdb.selected_frame().architecture()


def pc():
    return int(gdb.parse_and_eval("$pc")) & 0xFFFFFFFFFFFFFFFF


loops = {}
for w in wanted:
    name = "loop_" + w
    start, end = extent(name)
    sites = [i["addr"] for i in arch.disassemble(start, end - 1)
             if i["asm"].split()[0] in ("rdtsc", "rdtscp")]
    if not sites:
        die("no counter read found in %s" % name)
    loops[w] = {"name": name, "start": start, "end": end, "sites": sites,
                "entries": 0}

# 3. Breakpoints on each loop's entry, then tell the guest to go on.
# Identical loops may be folded into one function (loop_page_twin and
# loop_roundtrip_twin are): one capture serves every name at that address.
entry_bp = {}
for w, L in loops.items():
    if L["start"] in entry_bp:
        entry_bp[L["start"]][0].append(w)
        continue
    bp = gdb.Breakpoint("*0x%x" % L["start"], internal=True)
    entry_bp[L["start"]] = ([w], bp)
uts = syms["init_uts_ns"]
mem = bytes(inf.read_memory(uts, 4096))
at = mem.find(b"dmabench-gdbstep-waiting\0")
if at < 0:
    die("the guest's hostname is not in init_uts_ns")
inf.write_memory(uts + at, b"dmabench-gdbstep-go\0")


def name_of(addr):
    if addr in kernel_names:
        return kernel_names[addr]
    if addr in names:
        return names[addr]
    return "0x%x" % addr


def capture(L, regions=8):
    """Step `regions` regions from the counter read the pc is at."""
    sites = set(L["sites"])
    lo, hi = L["start"], L["end"]
    res = []
    for _ in range(regions):
        start = pc()
        steps = inside_call = 0
        callees = []
        was_inside = True
        while True:
            gdb.execute("stepi", to_string=True)
            steps += 1
            p = pc()
            inside = lo <= p < hi
            if not inside:
                inside_call += 1
                if was_inside:
                    callees.append(name_of(p))
            was_inside = inside
            if inside and p in sites:
                break
            if steps > 200000:
                die("%s: no counter read within 200000 steps" % L["name"])
        res.append({"from": "0x%x" % start, "to": "0x%x" % p, "steps": steps,
                    "call_steps": inside_call, "callees": callees})
    return res


results = {}
pending = set(loops)
while pending:
    try:
        gdb.execute("continue", to_string=True)
    except gdb.error as e:
        die("the guest went away before every loop was stepped (%s); left: %s"
            % (e, " ".join(sorted(pending))))
    p = pc()
    if p not in entry_bp:
        continue
    ws, bp = entry_bp[p]
    w = ws[0]
    L = loops[w]
    L["entries"] += 1
    if L["entries"] < 2:
        continue
    bp.enabled = False
    site_bps = [gdb.Breakpoint("*0x%x" % s, internal=True) for s in L["sites"]]
    try:
        gdb.execute("continue", to_string=True)
    except gdb.error as e:
        die("%s: no counter read reached (%s)" % (L["name"], e))
    for b in site_bps:
        b.delete()
    if not (L["start"] <= pc() < L["end"]):
        die("%s: stopped outside the loop at 0x%x" % (L["name"], pc()))
    regs = capture(L)
    for x in ws:
        results[x] = {"function": L["name"], "regions": regs,
                      "map": regs[0], "check": regs[1], "unmap": regs[2],
                      "steady": [r["steps"] for r in regs[:4]] ==
                                [r["steps"] for r in regs[4:]]}
        pending.discard(x)
    sys.stdout.write("gdbstep: stepped %s\n" % L["name"])
    sys.stdout.flush()

for _, bp in entry_bp.values():
    bp.delete()
with open(out, "w") as f:
    json.dump(results, f, indent=1)
gdb.execute("detach", to_string=True)
os._exit(0)
