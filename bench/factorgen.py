#!/usr/bin/env python3
"""Seeded CSV for bench/factor.sh: ROWS rows of x1, x2, x3 (numbers), store (a text column of
LEVELS levels, s0000 ...), y = 1 + 2 x1 - x2 + 0.5 x3 + a per-store effect + N(0, 1) noise.

    bench/factorgen.py OUT ROWS LEVELS SEED
"""
import sys

import numpy as np

out, rows, levels, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = np.random.default_rng(seed)
x = rng.normal(size=(rows, 3))
store = rng.integers(0, levels, size=rows)
effect = rng.normal(scale=2.0, size=levels)
y = 1 + 2 * x[:, 0] - x[:, 1] + 0.5 * x[:, 2] + effect[store] + rng.normal(size=rows)
width = len(str(levels - 1))
names = np.array([f"s{k:0{width}d}" for k in range(levels)])
with open(out, "w") as f:
    f.write("x1,x2,x3,store,y\n")
    chunk = 100_000
    for start in range(0, rows, chunk):
        end = min(rows, start + chunk)
        lines = [
            f"{a:.6f},{b:.6f},{c:.6f},{s},{v:.6f}\n"
            for a, b, c, s, v in zip(x[start:end, 0], x[start:end, 1], x[start:end, 2], names[store[start:end]], y[start:end])
        ]
        f.writelines(lines)
