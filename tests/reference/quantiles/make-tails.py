#!/usr/bin/env python3
"""Exact tail probabilities for tests/reference/tails.json: two-sided Student t p-values and F upper tails.

Run from the repository root: /usr/bin/python3 tests/reference/quantiles/make-tails.py
Each statistic is a double (17 significant digits); "exact" is the tail at that double's exact value,
to 40 significant digits, from the regularized incomplete beta function evaluated by its continued
fraction in 90-digit arithmetic (the ibeta of make-quantiles.py):
    P(|T| >= t) = I_{nu/(nu+t^2)}(nu/2, 1/2),   P(F > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2).
"""
import importlib.util
import json
import os

import mpmath as mp

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("mq", os.path.join(here, "make-quantiles.py"))
mq = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mq)
mp.mp.dps = 90

T_VALUES = [0.001, 0.5, 1.0, 1.96, 2.5, 4.0, 10.0, 40.0]
DFS = [1, 2, 3, 5, 10, 30, 100, 1000, 10000, 1000000]
F_VALUES = [0.01, 0.5, 1.0, 2.5, 10.0, 100.0]
F_DFS = [(1, 10), (2, 30), (3, 100), (10, 1000), (5, 3), (20, 100000)]


def s(x):
    return mp.nstr(x, 40, min_fixed=-10**9, max_fixed=10**9) if x != 0 else "0"


rows_t = []
for df in DFS:
    for t in T_VALUES:
        tt = mp.mpf(t)
        p = mq.ibeta(mp.mpf(df) / 2, mp.mpf(1) / 2, df / (df + tt * tt))
        rows_t.append({"df": df, "t": t, "exact": s(p)})
rows_f = []
for d1, d2 in F_DFS:
    for f in F_VALUES:
        ff = mp.mpf(f)
        p = mq.ibeta(mp.mpf(d2) / 2, mp.mpf(d1) / 2, d2 / (d2 + d1 * ff))
        rows_f.append({"df1": d1, "df2": d2, "f": f, "exact": s(p)})
with open("tests/reference/tails.json", "w") as out:
    json.dump({"generator": "tests/reference/quantiles/make-tails.py", "digits": 40, "t_two_sided": rows_t, "f_upper": rows_f}, out, indent=1)
    out.write("\n")
