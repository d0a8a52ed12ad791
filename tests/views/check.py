#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Every view of one comparison states the same figures and verdicts.

Usage: check.py RUNNER BEFORE AFTER SCRATCH [--refused]

Runs compare, report, plot --no-render, gate (ktap, table, junit), kcidb
and export --csv on one pair of result sets and prints one line per
relation that fails ("MISMATCH ..."), then "checked N" with the number of
relations checked. With --refused the pair must be one no view compares.
The relations hold by construction when every view
renders the library's one comparison; a view that recomputes a figure,
rounds it its own way or judges a row by other rules breaks one.
"""
import csv
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

runner, before, after, scratch = sys.argv[1:5]
must_refuse = sys.argv[5:] == ["--refused"]
problems, checked = [], 0
IOMMUS = {"VT-d": "intel", "AMD-Vi": "amd", "virtio-iommu": "virtio", "SMMUv3": "smmuv3"}
MODES = {"pt": "passthrough"}


def run(*args):
    p = subprocess.run([runner, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def expect(ok, what):
    global checked
    checked += 1
    if not ok:
        problems.append(what)


def close(a, b, text):
    """a == b to the precision the text b was printed with."""
    decimals = len(text.split(".")[1]) if "." in text else 0
    return abs(a - b) <= 0.5 * 10 ** -decimals + 1e-9


def compare_rows(text):
    """(iommu, mode, job, api, op) -> the table's fields, from compare."""
    rows, iommu, job = {}, None, None
    table = text.split("\nnoise between runs:")[0]
    for line in table.splitlines():
        m = re.match(r"^(?:(\S+): )?\[(.*?)\] ", line)
        if m:
            iommu, job = IOMMUS.get(m.group(1), m.group(1)), m.group(2)
            continue
        m = re.match(r"^(\S+)\s+(\S+)\s+(map|unmap)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\*?)\s*\S+$", line)
        if not m or job is None:
            continue
        mode = MODES.get(m.group(1), m.group(1))
        rows[(iommu, mode, job, m.group(2), m.group(3))] = {
            "before": m.group(4), "after": m.group(5), "change": m.group(6),
            "ci": m.group(7), "star": m.group(8) == "*"}
    return rows


def gate_key(name):
    """KTAP's JOB.[IOMMU-]MODE.API.OP as compare's key."""
    job, mode, api, op = name.rsplit(".", 3)
    iommu = None
    if "-" in mode:
        iommu, mode = mode.split("-", 1)
    return (iommu, mode, job, api, op)


def ktap_verdicts(text):
    verdicts, diag = {}, {}
    last = None
    for line in text.splitlines():
        if line.startswith("# ") and " -> " in line:
            last = line
        m = re.match(r"^(not ok|ok) \d+ (\S+)( # SKIP.*)?$", line)
        if m and "." in m.group(2):
            key = gate_key(m.group(2))
            verdicts[key] = "skip" if m.group(3) else ("fail" if m.group(1) == "not ok" else "pass")
            diag[key] = last
            last = None
    return verdicts, diag


def main():
    """Every relation between the views of BEFORE and AFTER."""
    rc, cmp_out, err = run("compare", before, after)
    expect((rc != 0) == must_refuse, f"compare {'accepts' if must_refuse else 'refuses'} the pair: exit {rc}")
    if rc:
        # a pair compare refuses: every view refuses it, none prints a verdict
        expect(rc == 2, f"compare refuses with 2, not {rc}")
        for args, want in ((("report",), 2), (("plot", "--no-render", "-o", os.path.join(scratch, "p")), 2),
                           (("gate",), 5), (("gate", "--format", "table"), 5), (("kcidb",), 2)):
            got, out, _ = run(*args, before, after)
            expect(got == want, f"{args[0]} refuses what compare refuses: exit {got}, want {want}")
            if args == ("gate",):
                expect("not ok 1 dmabench_gate_input" in out, "gate's refusal is one failed KTAP test")
        return
    expect(True, "")
    rows = compare_rows(cmp_out)
    expect(len(rows) > 0, "compare prints rows")

    # report: the very table compare prints
    rc, rep, err = run("report", before, after)
    expect(rc == 0, f"report exits {rc}")
    table = cmp_out[cmp_out.index("mode    api"):].split("\nnoise between runs:")[0].rstrip("\n")
    expect(table in rep, "report carries compare's table verbatim")

    # plot: each row's change, interval and star as compare's
    plots = os.path.join(scratch, "plots")
    rc, _, err = run("plot", "--no-render", "-o", plots, before, after)
    expect(rc == 0, f"plot exits {rc}: {err.strip()}")
    for name in sorted(os.listdir(plots)):
        if not name.endswith("-change.dat"):
            continue
        stem = name[:-len("-change.dat")]
        iommu, mode = (stem.split("-", 1) if "-" in stem else (None, stem))
        for line in open(os.path.join(plots, name)):
            if line.startswith("#") or not line.strip():
                continue
            f = line.split()
            api, op = f[0].rsplit("-", 1)
            cands = [v for k, v in rows.items() if k[0] == iommu and k[1] == mode and k[3] == api and k[4] == op]
            expect(len(cands) >= 1, f"plot {name} row {f[0]} is a compare row")
            if not cands:
                continue
            r = cands[0]
            if f[1] in ("?", "-", "nan", "NaN"):
                expect(r["change"] == "-", f"plot {name} {f[0]}: n/a where compare has {r['change']}")
                continue
            expect(close(float(f[1]), float(r["change"].rstrip("%")), r["change"].rstrip("%")),
                   f"plot {name} {f[0]}: change {f[1]} vs compare {r['change']}")
            lo, hi = r["ci"].strip("[]").split(",")
            expect(close(float(f[2]), float(lo), lo) and close(float(f[3]), float(hi), hi),
                   f"plot {name} {f[0]}: interval {f[2]}..{f[3]} vs compare {r['ci']}")
            expect((f[4] == "1") == r["star"], f"plot {name} {f[0]}: star {f[4]} vs compare {r['star']}")

    # gate: one verdict per row, the same in KTAP, table and JUnit
    rc_k, ktap, _ = run("gate", before, after)
    rc_t, tab, _ = run("gate", "--format", "table", before, after)
    rc_j, junit, _ = run("gate", "--format", "junit", before, after)
    expect(rc_k == rc_t == rc_j, f"gate's exit the same in every format: {rc_k} {rc_t} {rc_j}")
    verdicts, diag = ktap_verdicts(ktap)
    for key, v in verdicts.items():
        r = rows.get(key)
        expect(r is not None, f"gate row {key} is a compare row")
        if not r:
            continue
        if v == "fail":
            expect(r["star"] and r["change"].startswith("+"), f"gate fails {key}: compare stars a rise ({r['change']} {r['star']})")
        if v == "skip":
            expect(r["change"] == "-" or not r["star"] or rc_k == 4, f"gate skips {key}: compare has no verdict either")
        if diag.get(key):
            m = re.search(r": (\S+) -> (\S+) .*?, ([-+]?[\d.]+)% \(95% CI ([-+]?[\d.]+)\.\.([-+]?[\d.]+)\)", diag[key])
            expect(m is not None, f"gate's diagnostic of {key} has figures")
            if m:
                expect(close(float(m.group(1)), float(r["before"]), r["before"]) and
                       close(float(m.group(2)), float(r["after"]), r["after"]),
                       f"gate {key}: {m.group(1)} -> {m.group(2)} vs compare {r['before']} -> {r['after']}")
                c = r["change"].rstrip("%")
                expect(close(float(m.group(3)), float(c), c), f"gate {key}: change {m.group(3)} vs compare {c}")
    regressions = sum(1 for v in verdicts.values() if v == "fail")
    expect(len(re.findall(r"^REGRESSION ", tab, re.M)) == regressions, "gate table lists the KTAP failures")
    if junit.strip():
        tree = ET.fromstring(junit)
        cases = {c.get("name"): c for c in tree.iter("testcase")}
        for key, v in verdicts.items():
            name = ".".join([key[2], (key[0] + "-" if key[0] else "") + key[1], key[3], key[4]])
            c = cases.get(name)
            expect(c is not None, f"junit has {name}")
            if c is not None:
                jv = "fail" if c.find("failure") is not None else "skip" if c.find("skipped") is not None else "pass"
                expect(jv == v, f"junit {name}: {jv} vs KTAP {v}")

    # kcidb: the gate's verdicts, and compare's figures per side
    rc_c, kc, _ = run("kcidb", before, after)
    expect((rc_c == 0) == (rc_k in (0, 1, 4)), f"kcidb refuses what gate refuses: kcidb {rc_c}, gate {rc_k}")
    if rc_c == 0:
        tests = json.loads(kc)["tests"]
        status = {"FAIL": "fail", "PASS": "pass", "SKIP": "skip"}
        for t in tests:
            path = t["path"].split(".")
            if path[1] == "gate":
                mode = path[2]
                iommu = None
                if "-" in mode:
                    iommu, mode = mode.split("-", 1)
                key = (iommu, mode, t["misc"]["job"], path[3], path[4])
                expect(status[t["status"]] == verdicts.get(key, "skip" if rc_k == 4 else None),
                       f"kcidb {t['path']}: {t['status']} vs KTAP {verdicts.get(key)}")
            elif t.get("number"):
                mode = path[1]
                iommu = None
                if "-" in mode:
                    iommu, mode = mode.split("-", 1)
                r = rows.get((iommu, mode, t["misc"]["job"], path[2], path[3]))
                if r and r[t["misc"]["side"]] not in ("n/a", "error", "-"):
                    shown = r[t["misc"]["side"]]
                    expect(close(t["number"]["value"], float(shown), shown),
                           f"kcidb {t['path']} {t['misc']['side']}: {t['number']['value']} vs compare {shown}")

    # export --csv: its figure columns are compare's figures, lazy rows
    # amortized as compare's, merged runs as their mean, with the unit and
    # the statistic named; its raw net columns are the medians of one boot
    amortized = {"lazy"} if "lazy: amortized" in cmp_out else set()
    single = "\nruns:" not in cmp_out
    for side, path in (("before", before), ("after", after)):
        rc, text, _ = run("export", "--csv", path)
        expect(rc == 0, f"export --csv {side} exits {rc}")
        for c in csv.DictReader(io.StringIO(text)):
            unit = "instructions" if c["accel"] == "tcg-icount" else \
                "emulated cycles" if c["accel"] == "tcg" else "cycles"
            expect(c["unit"] == unit, f"export {side}: unit {c['unit']} for {c['accel']}")
            stat = "amortized" if c["mode"] in amortized or c["mode"] == "lazy" else "median"
            expect(c["statistic"] == stat, f"export {side} {c['mode']}: statistic {c['statistic']}")
            for op in ("map", "unmap"):
                cands = [v for k, v in rows.items() if k[1] == c["mode"] and k[2] == c["job"]
                         and k[3] == c["api"] and k[4] == op]
                if len(cands) != 1 or cands[0][side] in ("n/a", "error", "-"):
                    continue
                shown = cands[0][side]
                fig = c[f"{op}_figure"]
                expect(fig != "" and close(float(fig), float(shown), shown),
                       f"export {side} {c['mode']} {c['api']} {op}: figure {fig} vs compare {shown}")
                raw = c[f"{op}_cycles_per_op" + ("" if c["api"] == "null" else "_net")]
                if single and raw and c["mode"] not in amortized:
                    expect(close(float(raw), float(shown), shown),
                           f"export {side} {c['mode']} {c['api']} {op}: {raw} vs compare {shown}")


main()
for p in problems:
    print("MISMATCH", p)
print("checked", checked)
