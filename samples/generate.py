#!/usr/bin/env python3
"""Regenerates the sample CSVs (seeded, so the output is always the same): python3 samples/generate.py"""
import os
import random

here = os.path.dirname(os.path.abspath(__file__))


def write(name, header, rows):
    with open(os.path.join(here, name), "w", newline="\n") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(repr(round(v, 6)) for v in r) + "\n")


# y = 4 + 3x + N(0, 1), x uniform on [0, 2]: the README's example.
rng = random.Random(42)
rows = []
for _ in range(100):
    x = rng.uniform(0, 2)
    rows.append((x, 4 + 3 * x + rng.gauss(0, 1)))
write("linear.csv", ["x", "y"], rows)

# Three predictors of different scales: y = 1.5 + 2*x1 - 0.5*x2 + 0.01*x3 + N(0, 0.5).
rng = random.Random(7)
rows = []
for _ in range(200):
    x1 = rng.gauss(10, 2)
    x2 = rng.uniform(-5, 5)
    x3 = rng.uniform(1000, 5000)
    rows.append((x1, x2, x3, 1.5 + 2 * x1 - 0.5 * x2 + 0.01 * x3 + rng.gauss(0, 0.5)))
write("multi.csv", ["x1", "x2", "x3", "y"], rows)

# Unix timestamps (about 1.7e9) as the predictor: a slope of 0.002 per second over a day.
rng = random.Random(3)
rows = []
start = 1_700_000_000
for i in range(500):
    t = start + i * 172.8 + rng.uniform(0, 10)
    rows.append((t, 20 + 0.002 * (t - start) + rng.gauss(0, 0.3)))
write("timestamps.csv", ["timestamp", "temperature"], rows)

# A line per region (docs/groups.md, lsq fit --by): sales = a + b*ad_spend + N(0, 1), eight rows
# each of north, south and east, and one row of west, too few for a line of its own.
rng = random.Random(19)
rows = []
for _ in range(8):
    for region, (a, b) in {"north": (12, 2.5), "south": (20, 1.5), "east": (5, 3.2)}.items():
        ad = round(rng.uniform(1, 10), 1)
        rows.append((region, ad, round(a + b * ad + rng.gauss(0, 1), 2)))
rows.append(("west", 4.0, 15.1))
with open(os.path.join(here, "regions.csv"), "w", newline="\n") as f:
    f.write("region,ad_spend,sales\n")
    for region, ad, sales in rows:
        f.write(f"{region},{ad},{sales}\n")
