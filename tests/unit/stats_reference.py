#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The statistics of runner/stats.c, written again from their definitions:
linear-interpolation quantiles, IQR/median noise, and the bootstrap of the
change between medians with splitmix64. Prints what stats_check prints."""
import sys

MASK = (1 << 64) - 1


def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return state, z ^ (z >> 31)


def quantile(values, q):
    s = sorted(values)
    pos = q * (len(s) - 1)
    lo = int(pos)
    if lo + 1 >= len(s):
        return s[-1]
    return s[lo] + (pos - lo) * (s[lo + 1] - s[lo])


def load(path):
    with open(path) as f:
        return [float(x) for x in f.read().split()]


def main():
    b, a = load(sys.argv[1]), load(sys.argv[2])
    base_b, base_a = float(sys.argv[3]), float(sys.argv[4])
    for q in (0, 0.05, 0.25, 0.5, 0.75, 0.95, 1):
        print("q%.2f %.6f" % (q, quantile(b, q)))
    print("median %.6f" % quantile(a, 0.5))
    print("noise %.6f" % (100 * (quantile(b, 0.75) - quantile(b, 0.25))
                          / abs(quantile(b, 0.5))))
    state, changes = 20251125, []
    for _ in range(2000):
        rb, ra = [], []
        for _ in b:
            state, r = splitmix64(state)
            rb.append(b[r % len(b)])
        for _ in a:
            state, r = splitmix64(state)
            ra.append(a[r % len(a)])
        mb = quantile(rb, 0.5) - base_b
        ma = quantile(ra, 0.5) - base_a
        if mb != 0:
            changes.append(100 * (ma - mb) / abs(mb))
    print("ci %.6f %.6f" % (quantile(changes, 0.025), quantile(changes, 0.975)))
    if len(sys.argv) == 7:
        runs(b, a, base_b, base_a, int(sys.argv[5]), int(sys.argv[6]))


def split(values, k):
    n = len(values) // k
    return [values[i * n:(i + 1) * n] for i in range(k)]


def runs(b, a, base_b, base_a, kb, ka):
    """Mean over runs of each run's figure; the bootstrap draws runs, then
    batches within each drawn run (no draw when there is one run)."""
    rb = split([x - base_b for x in b], kb)
    ra = split([x - base_a for x in a], ka)
    med = lambda v: quantile(v, 0.5)
    avg = lambda v: sum(v) / len(v)
    fig = lambda rs, f: sum(f(r) for r in rs) / len(rs)
    print("runs %.6f %.6f" % (fig(rb, med), fig(ra, med)))
    spread = lambda rs: (100 * (max(med(r) for r in rs) - min(med(r) for r in rs))
                         / abs(fig(rs, med)))
    print("between %.6f %.6f" % (spread(rb), spread(ra)))
    for name, f in (("hci", med), ("hci-mean", avg)):
        state, changes = 20251125, []

        def draw(rs):
            nonlocal state
            total = 0
            for _ in rs:
                pick = 0
                if len(rs) > 1:
                    state, r = splitmix64(state)
                    pick = r % len(rs)
                run, res = rs[pick], []
                for _ in run:
                    state, r = splitmix64(state)
                    res.append(run[r % len(run)])
                total += f(res)
            return total / len(rs)
        for _ in range(2000):
            mb = draw(rb)
            ma = draw(ra)
            if mb != 0:
                changes.append(100 * (ma - mb) / abs(mb))
        print("%s %.6f %.6f" % (name, quantile(changes, 0.025),
                                 quantile(changes, 0.975)))
    if kb > 1 and ka > 1:
        welch([med(r) for r in rb], [med(r) for r in ra])


# Student's t 0.975 quantiles, df 1..30, from the published tables.
T975 = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262,
        2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101,
        2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
        2.048, 2.045, 2.042]


def welch(fb, fa):
    mean = lambda v: sum(v) / len(v)
    var = lambda v: sum((x - mean(v)) ** 2 for x in v) / (len(v) - 1)
    qb, qa = var(fb) / len(fb), var(fa) / len(fa)
    df = (qb + qa) ** 2 / (qb * qb / (len(fb) - 1) + qa * qa / (len(fa) - 1))
    k = max(1, int(df))
    t = T975[k - 1] if k <= 30 else 1.96 + (T975[29] - 1.96) * 30 / k
    d, half = mean(fa) - mean(fb), t * (qb + qa) ** 0.5
    print("welch %.6f %.6f" % (100 * (d - half) / abs(mean(fb)),
                               100 * (d + half) / abs(mean(fb))))


main()
