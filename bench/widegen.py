"""Writes a seeded numeric CSV of ROWS rows x P predictors and a response, for bench/wide.sh.

Usage: widegen.py PATH ROWS P SEED. Predictors are normal with column offsets and scales of
several magnitudes (as real designs have); y = 1 + sum_j beta_j x_j + noise, beta_j = (-1)^j / j.
Numbers are written in Python's shortest round-trip form.
"""
import sys

import numpy

path, rows, p, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = numpy.random.default_rng(seed)
offset = rng.choice([0.0, 10.0, 1000.0], size=p)
scale = 10.0 ** rng.integers(-2, 3, size=p)
beta = numpy.array([(-1.0) ** j / j for j in range(1, p + 1)])
with open(path, "w") as f:
    f.write(",".join([f"x{j}" for j in range(1, p + 1)] + ["y"]) + "\n")
    for start in range(0, rows, 1000):
        n = min(1000, rows - start)
        x = offset + scale * rng.standard_normal((n, p))
        y = 1 + x @ beta + 0.1 * rng.standard_normal(n)
        block = numpy.column_stack([x, y])
        f.write("\n".join(",".join(map(repr, r)) for r in block.tolist()) + "\n")
