#!/usr/bin/env python3
"""scikit-learn reference values for penalized least squares (ridge, lasso, elastic net).

Run from the repository root (needs python3-sklearn; the glmnet part needs Rscript and r-cran-glmnet):
    /usr/bin/python3 tests/reference/sklearn/make-reference.py
Writes, in tests/reference/sklearn/:
    diabetes.csv     sklearn's diabetes data, raw units (load_diabetes(scaled=False)): age, sex, bmi,
                     bp, s1..s6 and the response y (442 rows)
    correlated.csv   seeded synthetic set, 200 rows, x1..x6 with AR(1) correlation 0.9 and very
                     different scales, response y
    wide.csv         seeded synthetic set with p > n: 50 rows, x1..x120, sparse truth, response y
    penalized.json   the fits (schema below)
Numbers in the CSV files are Python's shortest round-trip form (repr), so a reader gets the very
doubles that were fitted; the fits below are of the files as read back.

The objective (lsq's and scikit-learn's ElasticNet, glmnet's for lasso):
    (1/(2n)) * sum_i (y_i - b0 - x_i'b)^2 + lambda * (R * |b|_1 + (1 - R)/2 * |b|_2^2)
with the intercept b0 never penalized.
    R = 1, 0.5: ElasticNet(alpha=lambda, l1_ratio=R, tol=1e-14, max_iter=10**6, fit_intercept=True)
                (Lasso is ElasticNet with l1_ratio=1)
    R = 0:      Ridge(alpha=n*lambda, solver="cholesky", fit_intercept=True) (closed form)
Scalings:
    "none":     the raw columns are penalized.
    "standard": each column x_j is replaced by z_j = (x_j - mean_j) / sd_j, sd_j the population
                standard deviation sqrt(sum (x_ij - mean_j)^2 / n) (numpy's std, ddof=0; glmnet's
                standardize=TRUE); the fit is on z, y is not scaled. Coefficients are then given in
                original units: coef_j = coef_standardized_j / sd_j and
                intercept = mean(y) - sum_j coef_j * mean_j.
lambda values are lambda_max * {0.5, 0.1, 0.01, 0.001} (lasso and elastic net; 0.001 left out for
wide.csv; rounded to 3 significant digits), lambda_max = max_j |sum_i (x_ij - mean_j)(y_i - mean(y))| / (n R), the smallest lambda at
which every coefficient is zero; ridge uses the lasso's lambda_max times {1, 0.1, 0.01}.

penalized.json:
{
  "generator", "sklearn_version", "numpy_version", "objective", "tol": 1e-14, "max_iter": 1000000,
  "datasets": {NAME: {"file": "tests/reference/sklearn/NAME.csv", "n": int, "p": int,
                      "columns": [predictor names], "response": "y",
                      "x_mean": [...], "x_sd": [...] (population), "y_mean": x,
                      "lambda_max": {"none": {"1": x, "0.5": x}, "standard": {"1": x, "0.5": x}}}},
  "fits": [ {"id": "diabetes_standard_lasso_0.1",
             "dataset": NAME, "scale": "none" | "standard", "penalty": "lasso" | "elasticnet" | "ridge",
             "l1_ratio": 1 | 0.5 | 0, "lambda": x,
             "sklearn": "ElasticNet(alpha=..., l1_ratio=...)" | "Ridge(alpha=...)",
             "intercept": x, "coef": [...],                 # original units
             "coef_standardized": [...] | null,             # the penalized coefficients when scale = standard
             "nonzero": int, "n_iter": int | null,          # null for ridge (closed form)
             "objective": x,                                # the objective above at (intercept, coef)
             "max_kkt_violation": x,                         # optimality check (scaled as the objective)
             "rel_diff_fixed_point": x | null} ],           # max |coef - coef*| / max |coef*|, coef* = the same
                                                            # fit run to its fixed point (tol=0, 10^5 sweeps)
  "glmnet": {"dataset": "diabetes", "standardize": true, "glmnet_version": "...", "note": "...",
             "paths": [ {"alpha": 1 | 0.5, "nlambda": 100, "lambda_min_ratio": 1e-4,
                         "lambda": [glmnet's sequence, <= 100 values: it stops early],
                         "lambda_max_formula": x} ],          # = lambda[0] (the formula above, on z)
             "lasso_fits": [ {"lambda": x, "intercept": x, "coef": [...]} ]  # glmnet(alpha=1, thresh=1e-20)
            } | null
}
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import ElasticNet, Ridge

HERE = "tests/reference/sklearn"
TOL = 1e-14
MAX_ITER = 10**6


def write_csv(name, columns, X, y):
    path = os.path.join(HERE, name + ".csv")
    with open(path, "w", newline="\n") as fh:
        fh.write(",".join(columns + ["y"]) + "\n")
        for row, yi in zip(X, y):
            fh.write(",".join(repr(float(v)) for v in list(row) + [yi]) + "\n")
    return path


def read_csv(path):
    with open(path) as fh:
        header = fh.readline().strip().split(",")
        rows = [[float(v) for v in line.split(",")] for line in fh if line.strip()]
    a = np.array(rows)
    return header[:-1], a[:, :-1], a[:, -1]


def make_data():
    d = load_diabetes(scaled=False)
    write_csv("diabetes", list(d.feature_names), d.data, d.target)

    rng = np.random.RandomState(20261201)
    n, p = 200, 6
    cov = np.array([[0.9 ** abs(i - j) for j in range(p)] for i in range(p)])
    L = np.linalg.cholesky(cov)
    scales = np.array([1.0, 10.0, 0.1, 5.0, 1.0, 100.0])
    offsets = np.array([0.0, 50.0, -3.0, 10.0, 1.0, 1000.0])
    Z = rng.standard_normal((n, p)) @ L.T
    X = Z * scales + offsets
    beta = np.array([3.0, -2.0, 0.0, 1.5, 0.0, 0.5]) / scales
    y = 5.0 + (X - offsets) @ beta + rng.standard_normal(n)
    write_csv("correlated", [f"x{j + 1}" for j in range(p)], X, y)

    rng = np.random.RandomState(20261202)
    n, p = 50, 120
    X = rng.standard_normal((n, p))
    X[:, 1] = 0.8 * X[:, 0] + 0.6 * X[:, 1]  # two correlated columns among the true ones
    beta = np.zeros(p)
    beta[[0, 1, 5, 17, 60]] = [2.0, -1.5, 1.0, 0.75, -0.5]
    y = 1.0 + X @ beta + 0.5 * rng.standard_normal(n)
    write_csv("wide", [f"x{j + 1}" for j in range(p)], X, y)


def sig3(x):
    return float(f"{x:.3g}")


def objective(X, y, b0, b, lam, r):
    res = y - b0 - X @ b
    n = len(y)
    return math.fsum(res * res) / (2 * n) + lam * (r * math.fsum(np.abs(b)) + (1 - r) / 2 * math.fsum(b * b))


def kkt(Xc, yc, b, lam, r):
    """Largest violation of the optimality conditions on centred data, per unit of the objective."""
    n = len(yc)
    g = Xc.T @ (yc - Xc @ b) / n - lam * (1 - r) * b  # minus gradient of the smooth part
    worst = 0.0
    for gj, bj in zip(g, b):
        if bj != 0:
            worst = max(worst, abs(gj - lam * r * np.sign(bj)))
        else:
            worst = max(worst, max(0.0, abs(gj) - lam * r))
    return worst


def fit_one(X, y, lam, r, tol=TOL, max_iter=MAX_ITER):
    n = len(y)
    if r == 0:
        m = Ridge(alpha=n * lam, solver="cholesky", fit_intercept=True).fit(X, y)
        return m.intercept_, m.coef_.copy(), None, f"Ridge(alpha={n * lam!r}, solver='cholesky')"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = ElasticNet(alpha=lam, l1_ratio=r, tol=tol, max_iter=max_iter, fit_intercept=True).fit(X, y)
    return m.intercept_, m.coef_.copy(), int(m.n_iter_), f"ElasticNet(alpha={lam!r}, l1_ratio={r!r}, tol={tol!r}, max_iter={max_iter})"


def lambda_max(X, y, r):
    Xc = X - X.mean(axis=0)
    yc = y - y.mean()
    return float(np.max(np.abs(Xc.T @ yc)) / (len(y) * r))


def main():
    make_data()
    datasets = {}
    fits = []
    plan = {
        "diabetes": [(1.0, "lasso"), (0.5, "elasticnet"), (0.0, "ridge")],
        "correlated": [(1.0, "lasso"), (0.5, "elasticnet"), (0.0, "ridge")],
        "wide": [(1.0, "lasso"), (0.5, "elasticnet")],
    }
    for name, penalties in plan.items():
        path = os.path.join(HERE, name + ".csv")
        cols, X, y = read_csv(path)
        n, p = X.shape
        mean = X.mean(axis=0)
        sd = X.std(axis=0, ddof=0)
        Zs = (X - mean) / sd
        info = {"file": path, "n": n, "p": p, "columns": cols, "response": "y",
                "x_mean": list(mean), "x_sd": list(sd), "y_mean": float(y.mean()), "lambda_max": {}}
        for scale, M in (("none", X), ("standard", Zs)):
            info["lambda_max"][scale] = {"1": lambda_max(M, y, 1.0), "0.5": lambda_max(M, y, 0.5)}
            for r, pen in penalties:
                if r == 0:
                    lams = [sig3(info["lambda_max"][scale]["1"] * f) for f in (1.0, 0.1, 0.01)]
                else:
                    factors = (0.5, 0.1, 0.01) if name == "wide" else (0.5, 0.1, 0.01, 0.001)
                    lams = [sig3(info["lambda_max"][scale][str(r) if r != 1 else "1"] * f) for f in factors]
                for lam in lams:
                    b0, b, n_iter, call = fit_one(M, y, lam, r)
                    fixed = None
                    if r != 0:
                        _, bf, _, _ = fit_one(M, y, lam, r, tol=0.0, max_iter=100000)
                        scale_ref = np.max(np.abs(bf))
                        fixed = float(np.max(np.abs(b - bf)) / scale_ref) if scale_ref > 0 else float(np.max(np.abs(b)))
                    Mc = M - M.mean(axis=0)
                    viol = kkt(Mc, y - y.mean(), b, lam, r)
                    obj = objective(M, y, b0, b, lam, r)
                    if scale == "standard":
                        coef = b / sd
                        intercept = float(y.mean() - math.fsum(coef * mean))
                        coef_std = list(b)
                    else:
                        coef = b
                        intercept = float(b0)
                        coef_std = None
                    fits.append({
                        "id": f"{name}_{scale}_{pen}_{lam!r}", "dataset": name, "scale": scale, "penalty": pen,
                        "l1_ratio": r, "lambda": lam, "sklearn": call,
                        "intercept": intercept, "coef": list(coef), "coef_standardized": coef_std,
                        "nonzero": int(np.count_nonzero(b)), "n_iter": n_iter, "objective": obj,
                        "max_kkt_violation": viol, "rel_diff_fixed_point": fixed,
                    })
                    print(f"{fits[-1]['id']}: nonzero {fits[-1]['nonzero']}, n_iter {n_iter}, kkt {viol:.2e}, "
                          f"fixed-point diff {fixed}", file=sys.stderr)
        datasets[name] = info

    doc = {
        "generator": "tests/reference/sklearn/make-reference.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "objective": "(1/(2n)) sum (y - b0 - x'b)^2 + lambda (l1_ratio |b|_1 + (1 - l1_ratio)/2 |b|_2^2)",
        "tol": TOL,
        "max_iter": MAX_ITER,
        "datasets": datasets,
        "fits": fits,
        "glmnet": glmnet_part(datasets["diabetes"]),
    }
    with open(os.path.join(HERE, "penalized.json"), "w", newline="\n") as fh:
        fh.write(dumps(doc) + "\n")


GLMNET_R = r"""
suppressPackageStartupMessages(library(glmnet))
d <- read.csv("tests/reference/sklearn/diabetes.csv")
x <- as.matrix(d[, setdiff(names(d), "y")]); y <- d$y
out <- function(v) cat(sprintf("%a", v), "\n")
cat("version", as.character(packageVersion("glmnet")), "\n")
for (a in c(1, 0.5)) { f <- glmnet(x, y, alpha = a, standardize = TRUE); cat("path", a, f$lambda.min.ratio, ""); out(f$lambda) }
lams <- scan(text = Sys.getenv("LAMBDAS"), quiet = TRUE)
for (l in lams) {
  f <- glmnet(x, y, alpha = 1, standardize = TRUE, lambda = l, thresh = 1e-20, maxit = 10^7)
  cat("fit", ""); out(c(l, as.numeric(coef(f))))
}
"""


def glmnet_part(info):
    lams = [sig3(info["lambda_max"]["standard"]["1"] * f) for f in (0.5, 0.1, 0.01)]
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as fh:
            fh.write(GLMNET_R)
        env = dict(os.environ, LAMBDAS=" ".join(repr(v) for v in lams))
        out = subprocess.run(["Rscript", fh.name], capture_output=True, text=True, check=True, env=env).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        print(f"glmnet part skipped: {e}", file=sys.stderr)
        return None
    finally:
        os.unlink(fh.name)
    result = {"dataset": "diabetes", "standardize": True,
              "note": ("glmnet(x, y, alpha, standardize = TRUE) with its defaults: nlambda = 100 values from "
                       "lambda_max down to lambda_max * lambda_min_ratio, evenly spaced in log; glmnet stops the "
                       "path early once the deviance explained stops growing, so fewer than 100 are returned. "
                       "lasso_fits: glmnet(alpha = 1, lambda = L, thresh = 1e-20); they agree with the sklearn "
                       "standard-scale lasso to about 1e-9 relative (glmnet's own stopping rule)"),
              "paths": [], "lasso_fits": []}
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "version":
            result["glmnet_version"] = parts[1]
        elif parts[0] == "path":
            alpha = float(parts[1])
            lam = [float.fromhex(v) for v in parts[2:]]
            result["paths"].append({"alpha": alpha, "nlambda": 100, "lambda_min_ratio": float(parts[2]), "lambda": lam,
                                    "lambda_max_formula": info["lambda_max"]["standard"]["1" if alpha == 1 else "0.5"]})
        elif parts[0] == "fit":
            v = [float.fromhex(s) for s in parts[1:]]
            result["lasso_fits"].append({"lambda": v[0], "intercept": v[1], "coef": v[2:]})
    return result


def fmt(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        v = float(v)
        return "%.17g" % v if math.isfinite(v) else "null"
    return json.dumps(v)


def dumps(v, indent=0):
    pad, pad1 = "  " * indent, "  " * (indent + 1)
    if isinstance(v, dict):
        items = [f"{pad1}{json.dumps(k)}: {dumps(x, indent + 1)}" for k, x in v.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(v, list):
        if all(not isinstance(x, (dict, list)) for x in v):
            return "[" + ", ".join(fmt(x) for x in v) + "]"
        return "[\n" + ",\n".join(pad1 + dumps(x, indent + 1) for x in v) + "\n" + pad + "]"
    return fmt(v)


if __name__ == "__main__":
    main()
