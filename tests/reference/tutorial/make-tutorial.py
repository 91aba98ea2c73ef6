#!/usr/bin/env python3
"""The gradient-descent tutorial's data set, samples/tutorial.csv, and its exact least-squares fit.

Run from the repository root (needs numpy): /usr/bin/python3 tests/reference/tutorial/make-tutorial.py

The tutorial draws its data with numpy's legacy global generator:
    np.random.seed(0)
    x = 2 * np.random.rand(100, 1)
    y = 4 + 3 * x + np.random.randn(100, 1)
and fits y = theta0 + theta1 * x, getting theta = [4.2222, 2.9685] and MSE 0.99244. This script
writes x and y (header "x,y", each number in Python's shortest round-trip form, so the file holds
the very doubles drawn), checks numpy's lstsq on the file against those figures, and prints the
least-squares fit computed exactly in rational arithmetic from the file's doubles, with the MSE
(mean of squared residuals, divided by n = 100) and the residual standard error (divided by n - 2).
"""
from fractions import Fraction

import numpy as np

OUT = "samples/tutorial.csv"

np.random.seed(0)
x = 2 * np.random.rand(100, 1)
y = 4 + 3 * x + np.random.randn(100, 1)
with open(OUT, "w", newline="\n") as fh:
    fh.write("x,y\n")
    for xi, yi in zip(x[:, 0], y[:, 0]):
        fh.write(f"{float(xi)!r},{float(yi)!r}\n")

with open(OUT) as fh:
    next(fh)
    pairs = [tuple(float(v) for v in line.split(",")) for line in fh]
xs = np.array([p[0] for p in pairs])
ys = np.array([p[1] for p in pairs])
assert np.array_equal(xs, x[:, 0]) and np.array_equal(ys, y[:, 0])

Xb = np.c_[np.ones(len(xs)), xs]
theta = np.linalg.lstsq(Xb, ys, rcond=None)[0]
mse = float(np.mean((Xb @ theta - ys) ** 2))
assert round(theta[0], 4) == 4.2222 and round(theta[1], 4) == 2.9685, theta
assert round(mse, 5) == 0.99244, mse

# Exact: the normal equations in rationals over the file's doubles.
n = len(pairs)
X = [Fraction(v) for v in xs]
Y = [Fraction(v) for v in ys]
sx, sy = sum(X), sum(Y)
mx, my = sx / n, sy / n
sxx = sum((a - mx) ** 2 for a in X)
sxy = sum((a - mx) * (b - my) for a, b in zip(X, Y))
b1 = sxy / sxx
b0 = my - b1 * mx
rss = sum((b - b0 - b1 * a) ** 2 for a, b in zip(X, Y))


def show(q):
    return f"{float(q)!r}"


print(f"wrote {OUT}: {n} rows")
print(f"numpy lstsq: theta = [{theta[0]!r}, {theta[1]!r}], mse = {mse!r}")
print(f"exact (rounded to double): theta0 = {show(b0)}, theta1 = {show(b1)}")
print(f"exact: rss = {show(rss)}, mse = rss/n = {show(rss / n)}, sigma^2 = rss/(n-2) = {show(rss / (n - 2))}")
