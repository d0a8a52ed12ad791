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


main()
