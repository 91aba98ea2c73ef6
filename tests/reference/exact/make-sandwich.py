#!/usr/bin/env python3
"""Exact heteroskedasticity-consistent standard errors (sandwich::vcovHC's HC0-HC3) for longley
`Employed ~ .`, in rational arithmetic from the committed CSV's decimal values, rounded once to
double. R's own values for this case (lm.json) agree with these to about 8 digits only: longley's
design is ill-conditioned in its raw units and sandwich forms bread·meat·bread in double.

Run from the repository root: /usr/bin/python3 tests/reference/exact/make-sandwich.py
Writes tests/reference/exact/sandwich.json.
"""
import csv
import json
from fractions import Fraction as F

DATA = "tests/reference/r/data/longley.csv"
OUT = "tests/reference/exact/sandwich.json"


def inverse(a):
    m = len(a)
    w = [row[:] + [F(int(i == j)) for j in range(m)] for i, row in enumerate(a)]
    for c in range(m):
        pivot = next(r for r in range(c, m) if w[r][c] != 0)
        w[c], w[pivot] = w[pivot], w[c]
        v = w[c][c]
        w[c] = [x / v for x in w[c]]
        for r in range(m):
            if r != c and w[r][c] != 0:
                f = w[r][c]
                w[r] = [x - f * y for x, y in zip(w[r], w[c])]
    return [row[m:] for row in w]


def sqrt_to_double(q):
    """The square root of a positive rational, correctly rounded to double (Newton in rationals)."""
    x = F(float(q) ** 0.5)
    for _ in range(6):
        x = (x + q / x) / 2
    return float(x)


def main():
    rows = list(csv.reader(open(DATA)))
    header, data = rows[0], rows[1:]
    yi = header.index("Employed")
    xs = [i for i in range(1, len(header)) if i != yi]
    x = [[F(1)] + [F(r[i]) for i in xs] for r in data]
    y = [F(r[yi]) for r in data]
    n, p = len(x), len(x[0])
    b_inv = inverse([[sum(x[k][i] * x[k][j] for k in range(n)) for j in range(p)] for i in range(p)])
    xty = [sum(x[k][i] * y[k] for k in range(n)) for i in range(p)]
    beta = [sum(b_inv[i][j] * xty[j] for j in range(p)) for i in range(p)]
    e = [y[k] - sum(x[k][j] * beta[j] for j in range(p)) for k in range(n)]
    h = [sum(x[k][i] * b_inv[i][j] * x[k][j] for i in range(p) for j in range(p)) for k in range(n)]
    out = {"generator": "tests/reference/exact/make-sandwich.py", "data_file": DATA, "formula": "Employed ~ .",
           "names": ["(Intercept)"] + [header[i] for i in xs], "robust": {}}
    for kind in ["HC0", "HC1", "HC2", "HC3"]:
        omega = [e[k] ** 2 for k in range(n)]
        if kind == "HC1":
            omega = [o * n / (n - p) for o in omega]
        elif kind == "HC2":
            omega = [o / (1 - h[k]) for k, o in enumerate(omega)]
        elif kind == "HC3":
            omega = [o / (1 - h[k]) ** 2 for k, o in enumerate(omega)]
        meat = [[sum(omega[k] * x[k][i] * x[k][j] for k in range(n)) for j in range(p)] for i in range(p)]
        bm = [[sum(b_inv[i][k] * meat[k][j] for k in range(p)) for j in range(p)] for i in range(p)]
        v = [[sum(bm[i][k] * b_inv[k][j] for k in range(p)) for j in range(p)] for i in range(p)]
        out["robust"][kind] = {"std_error": [sqrt_to_double(v[j][j]) for j in range(p)]}
    with open(OUT, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
