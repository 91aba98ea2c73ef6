#!/usr/bin/env python3
"""Exact Student t and F quantiles for tests/reference/quantiles.json, with R's qt/qf beside them.

Run from the repository root (needs python3-mpmath, python3-scipy for starting points, and Rscript):
    /usr/bin/python3 tests/reference/quantiles/make-quantiles.py

Each probability p is an IEEE double (written with 17 significant digits, so it parses back to the
same double). "exact" is the quantile at that double's exact binary value, to 40 significant
digits; "value" is "exact" rounded to the nearest double; "r" is R's qt(p, df) or qf(p, df1, df2)
for the same double. Note that 1 - 1e-10 as a double is not 1 - 10^-10 exactly: its quantile is
the one at the double, as a program computing qt(1 - alpha) would ask for.

How: the t and F distribution functions are regularized incomplete beta functions,
    P(T > t)  = I_{nu/(nu+t^2)}(nu/2, 1/2) / 2                (t > 0)
    P(F <= f) = I_{d1 f/(d1 f+d2)}(d1/2, d2/2),  P(F > f) = I_{d2/(d2+d1 f)}(d2/2, d1/2),
evaluated with the continued fraction for I_x(a, b) in 90-digit arithmetic (mpmath's own betainc
is a cross-check where it converges; it fails for both parameters large). The smaller tail is
always solved for directly (p < 1/2: the lower tail; p > 1/2: the upper tail, 1 - p computed
exactly), by the secant method on log(tail) from scipy's estimate. Checks: the tail at the root
matches to 1e-60 relative; df 1 and 2 against the closed forms; F(1, nu) against t^2.
"""
import json
import os
import subprocess
import sys
import tempfile

import mpmath as mp
from scipy import stats

mp.mp.dps = 90
OUT = "tests/reference/quantiles.json"
DIGITS = 40

PROBS = ["0.5", "0.9", "0.95", "0.975", "0.995", "0.9995", "0.05", "0.025", "1e-10", "1-1e-10"]
DFS = [1, 2, 3, 5, 10, 30, 100, 10000]


def prob(text):
    return 1 - 1e-10 if text == "1-1e-10" else float(text)


def ibeta(a, b, x):
    """Regularized incomplete beta I_x(a, b) by its continued fraction (modified Lentz)."""
    a, b, x = mp.mpf(a), mp.mpf(b), mp.mpf(x)
    if x <= 0:
        return mp.mpf(0)
    if x >= 1:
        return mp.mpf(1)
    if x > (a + 1) / (a + b + 2):
        return 1 - ibeta(b, a, 1 - x)
    log_front = a * mp.log(x) + b * mp.log1p(-x) - mp.log(a) - (mp.loggamma(a) + mp.loggamma(b) - mp.loggamma(a + b))
    return mp.exp(log_front) / _cf_denominator(a, b, x)


def _cf_denominator(a, b, x):
    """1 + d1/(1 + d2/(1 + ...)), evaluated with modified Lentz."""
    tiny = mp.mpf(10) ** (-(mp.mp.dps + 20))
    eps = mp.mpf(10) ** (-(mp.mp.dps + 5))
    f = mp.mpf(1)
    c, d = f, mp.mpf(0)
    for j in range(1, 1000000):
        m = j // 2
        if j % 2 == 0:
            num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m))
        else:
            num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))
        d = 1 + num * d
        if abs(d) < tiny:
            d = tiny
        c = 1 + num / c
        if abs(c) < tiny:
            c = tiny
        d = 1 / d
        delta = c * d
        f *= delta
        if abs(delta - 1) < eps:
            return f
    raise RuntimeError("continued fraction did not converge")


def t_upper(t, nu):
    return ibeta(mp.mpf(nu) / 2, mp.mpf(1) / 2, nu / (nu + t * t)) / 2


def f_lower(f, d1, d2):
    return ibeta(mp.mpf(d1) / 2, mp.mpf(d2) / 2, d1 * f / (d1 * f + d2))


def f_upper(f, d1, d2):
    return ibeta(mp.mpf(d2) / 2, mp.mpf(d1) / 2, d2 / (d2 + d1 * f))


def solve(tail, target, start):
    """The root of log(tail(x)) = log(target), x > 0, by the secant method from start."""
    g = lambda x: mp.log(tail(x)) - mp.log(target)
    x = mp.findroot(g, (mp.mpf(start), mp.mpf(start) * (1 + mp.mpf("1e-7"))), solver="secant", tol=mp.mpf(10) ** (-(mp.mp.dps - 5)), maxsteps=200)
    rel = abs(tail(x) / target - 1)
    if rel > mp.mpf("1e-60"):
        raise RuntimeError(f"tail mismatch {rel}")
    return x


def qt_exact(p, nu):
    p = mp.mpf(p)
    if p == mp.mpf("0.5"):
        return mp.mpf(0)
    upper = p > mp.mpf("0.5")
    q = 1 - p if upper else p
    start = abs(stats.t.isf(float(q), nu))
    t = solve(lambda t: t_upper(t, nu), q, start)
    return t if upper else -t


def qf_exact(p, d1, d2):
    p = mp.mpf(p)
    if p <= mp.mpf("0.5"):
        return solve(lambda f: f_lower(f, d1, d2), p, stats.f.ppf(float(p), d1, d2))
    q = 1 - p
    return solve(lambda f: f_upper(f, d1, d2), q, stats.f.isf(float(q), d1, d2))


def r_values(kind, rows):
    """R's qt or qf for each row, the probabilities passed as hexadecimal doubles (exact)."""
    if kind == "t":
        calls = [f"qt({float(r['p']).hex()}, {r['df']})" for r in rows]
    else:
        calls = [f"qf({float(r['p']).hex()}, {r['df1']}, {r['df2']})" for r in rows]
    script = "x <- c(" + ",\n".join(calls) + ")\ncat(sprintf('%a', x), sep = '\\n')\n"
    with tempfile.NamedTemporaryFile("w", suffix=".R", delete=False) as fh:
        fh.write(script)
    try:
        out = subprocess.run(["Rscript", fh.name], capture_output=True, text=True, check=True).stdout.split()
    finally:
        os.unlink(fh.name)
    assert len(out) == len(rows)
    return [float.fromhex(v) if v not in ("NA", "NaN", "Inf", "-Inf") else None for v in out]


def r_version():
    return subprocess.run(["Rscript", "-e", "cat(R.version.string)"], capture_output=True, text=True, check=True).stdout


def entry(exact):
    text = mp.nstr(exact, DIGITS) if exact != 0 else "0"
    return text, float(text)


def rel_error(r, exact):
    if r is None:
        return None
    if exact == 0:
        return abs(r)
    return float(abs((mp.mpf(r) - exact) / exact))


def main():
    # Cross-check the continued fraction against mpmath's betainc where that converges.
    for a, b, x in [(0.5, 0.5, 0.3), (5, 0.5, 0.9), (1.5, 15, 0.01), (0.5, 50, 1e-6), (15, 2.5, 0.999)]:
        ours, theirs = ibeta(a, b, x), mp.betainc(a, b, 0, x, regularized=True)
        assert abs(ours / theirs - 1) < mp.mpf("1e-80"), (a, b, x, ours, theirs)

    t_rows = []
    for nu in DFS:
        for ptext in PROBS:
            p = prob(ptext)
            t = qt_exact(p, nu)
            if nu == 1:  # Cauchy: t = tan(pi (p - 1/2))
                assert abs(t - mp.tan(mp.pi * (mp.mpf(p) - mp.mpf("0.5")))) <= abs(t) * mp.mpf("1e-70")
            if nu == 2:  # t = (2p - 1) / sqrt(2 p (1 - p))
                pm = mp.mpf(p)
                assert abs(t - (2 * pm - 1) / mp.sqrt(2 * pm * (1 - pm))) <= abs(t) * mp.mpf("1e-70") + mp.mpf("1e-80")
            text, value = entry(t)
            t_rows.append({"df": nu, "p": p, "p_text": ptext, "exact": text, "value": value, "_exact": t})
    f_rows = []
    for d1 in DFS:
        for d2 in DFS:
            for ptext in PROBS:
                p = prob(ptext)
                f = qf_exact(p, d1, d2)
                if d1 == 1:  # F(1, nu) = T(nu)^2: P(F <= f) = 2 P(T <= sqrt f) - 1
                    t = qt_exact((1 + mp.mpf(p)) / 2, d2)
                    assert abs(f - t * t) <= f * mp.mpf("1e-60"), (d2, ptext)
                text, value = entry(f)
                f_rows.append({"df1": d1, "df2": d2, "p": p, "p_text": ptext, "exact": text, "value": value, "_exact": f})
        print(f"F: df1 = {d1} done", file=sys.stderr)

    for kind, rows in (("t", t_rows), ("f", f_rows)):
        for row, r in zip(rows, r_values(kind, rows)):
            row["r"] = r
            row["r_rel_error"] = rel_error(r, row.pop("_exact"))

    doc = {
        "generator": "tests/reference/quantiles/make-quantiles.py",
        "mpmath_version": mp.__version__,
        "r_version": r_version(),
        "digits": DIGITS,
        "note": ("p is a double (17 significant digits); exact = the quantile at that double's exact value, "
                 "40 significant digits, as a string; value = exact rounded to the nearest double; "
                 "r = R's qt/qf at the same double; r_rel_error = |r - exact| / |exact| (|r| when exact is 0)"),
        "t": t_rows,
        "f": f_rows,
    }
    with open(OUT, "w", newline="\n") as fh:
        fh.write(dumps(doc))
    print(f"wrote {OUT}: {len(t_rows)} t and {len(f_rows)} F quantiles", file=sys.stderr)


def fmt(v):
    if v is None:
        return "null"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "%.17g" % v
    return json.dumps(v)


def dumps(doc):
    lines = ["{"]
    keys = list(doc)
    for i, k in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        v = doc[k]
        if isinstance(v, list):
            lines.append(f"  {json.dumps(k)}: [")
            for j, row in enumerate(v):
                inner = ", ".join(f"{json.dumps(rk)}: {fmt(rv)}" for rk, rv in row.items())
                lines.append("    {" + inner + "}" + ("," if j < len(v) - 1 else ""))
            lines.append("  ]" + comma)
        else:
            lines.append(f"  {json.dumps(k)}: {fmt(v)}{comma}")
    lines.append("}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
