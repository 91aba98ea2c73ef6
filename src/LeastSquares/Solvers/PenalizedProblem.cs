using LeastSquares.Loss;
using LeastSquares.Numerics;
using LeastSquares.State;

namespace LeastSquares.Solvers;

/// <summary>
/// Half the mean squared error of a model as a quadratic in its (optionally standardized) slopes,
/// built from the centred moments alone — glmnet's "covariance" form: with zⱼ = (xⱼ − x̄ⱼ)/sⱼ,
/// <code>
///   (1/(2n))·‖y − ȳ − Zb‖² = yy/2 − bᵀr + bᵀSb/2,   S = ZᵀZ/n,  r = Zᵀ(y − ȳ)/n,  yy = Σ(y − ȳ)²/n,
/// </code>
/// and the intercept, never penalized, is ȳ − Σ (bⱼ/sⱼ)·x̄ⱼ. sⱼ is the population standard deviation
/// (standardize) or 1. The rows are not read again: every coordinate-descent step is O(p).
/// </summary>
internal sealed class PenalizedProblem
{
    /// <summary>Sweeps allowed before coordinate descent gives up.</summary>
    public const int MaxSweeps = 100_000;

    /// <summary>
    /// The stopping rule: a sweep in which no coordinate moves the fitted values by more than
    /// this fraction of the response's standard deviation (|Δbⱼ|·√Sⱼⱼ ≤ tol·√yy), confirmed by a
    /// sweep over every coordinate with the gradient recomputed from scratch.
    /// </summary>
    public const double Tolerance = 1e-14;

    private readonly double[] _s;
    private readonly double[] _r;

    private PenalizedProblem(Moments user, bool standardize)
    {
        User = user;
        int p = user.FeatureCount;
        P = p;
        double n = user.Count;
        Scale = new DoubleDouble[p];
        for (int j = 0; j < p; j++)
        {
            var variance = user.Co[j, j] / n;
            Scale[j] = standardize && variance.Hi > 0 ? DoubleDouble.Sqrt(variance) : DoubleDouble.One;
        }

        SDd = new DoubleDouble[p, p];
        RDd = new DoubleDouble[p];
        _s = new double[p * p];
        _r = new double[p];
        for (int j = 0; j < p; j++)
        {
            RDd[j] = user.Co[j, p] / n / Scale[j];
            _r[j] = RDd[j].ToDouble();
            for (int k = 0; k < p; k++)
            {
                SDd[j, k] = user.Co[j, k] / n / (Scale[j] * Scale[k]);
                _s[(j * p) + k] = SDd[j, k].ToDouble();
            }
        }

        YVariance = (user.Co[p, p] / n).ToDouble();
    }

    /// <summary>The moments in the user's basis (the raw columns and powers).</summary>
    public Moments User { get; }

    /// <summary>Number of slopes.</summary>
    public int P { get; }

    /// <summary>The column scales sⱼ.</summary>
    public DoubleDouble[] Scale { get; }

    /// <summary>S in double-double (for the closed-form ridge).</summary>
    private DoubleDouble[,] SDd { get; }

    /// <summary>r in double-double.</summary>
    private DoubleDouble[] RDd { get; }

    /// <summary>Σ(y − ȳ)²/n.</summary>
    public double YVariance { get; }

    /// <summary>The problem of <paramref name="moments"/> (any working basis; solved in the user's).</summary>
    public static PenalizedProblem Create(Moments moments, bool standardize)
    {
        ArgumentNullException.ThrowIfNull(moments);
        if (!moments.Terms.Intercept)
        {
            throw new NotSupportedException("Penalized fits need an intercept (it is left unpenalized).");
        }

        if (moments.Count < 2)
        {
            throw new InsufficientDataException(moments.Count, 2);
        }

        return new PenalizedProblem(moments.Recentre(0), standardize);
    }

    /// <summary>The smallest λ at which every slope is 0: max |rⱼ| / R (R floored at 0.001, as glmnet does for ridge).</summary>
    public double LambdaMax(double l1Ratio)
    {
        double m = 0;
        foreach (var v in _r)
        {
            m = Math.Max(m, Math.Abs(v));
        }

        return m / Math.Max(l1Ratio, 1e-3);
    }

    /// <summary>
    /// The penalized slopes b (in the penalized scale) by cyclic coordinate descent with active-set
    /// cycling, from <paramref name="start"/> (a warm start) or 0; ridge (R = 0, λ &gt; 0) in closed form.
    /// </summary>
    public double[] Solve(Penalty penalty, double[]? start, out int sweeps, out bool converged)
    {
        if (penalty.L1Ratio == 0 && penalty.Lambda > 0 && Ridge(penalty.Lambda) is { } closed)
        {
            sweeps = 0;
            converged = true;
            return closed;
        }

        int p = P;
        var b = start is null ? new double[p] : (double[])start.Clone();
        var g = new double[p];
        Gradient(b, g);
        double threshold = Tolerance * Math.Sqrt(YVariance);
        sweeps = 0;
        while (sweeps < MaxSweeps)
        {
            double moved = Sweep(penalty, b, g, activeOnly: false);
            sweeps++;
            if (moved <= Floor(threshold, b))
            {
                // Confirm on a gradient free of the drift of many rank-one updates.
                Gradient(b, g);
                moved = Sweep(penalty, b, g, activeOnly: false);
                sweeps++;
                if (moved <= Floor(threshold, b))
                {
                    break;
                }
            }

            while (sweeps < MaxSweeps)
            {
                moved = Sweep(penalty, b, g, activeOnly: true);
                sweeps++;
                if (moved <= Floor(threshold, b))
                {
                    break;
                }
            }
        }

        converged = sweeps < MaxSweeps;
        return b;
    }

    /// <summary>The intercept and slopes in the user's units of penalized slopes <paramref name="b"/>.</summary>
    public (DoubleDouble Intercept, DoubleDouble[] Slopes) ToUser(ReadOnlySpan<double> b)
    {
        var slopes = new DoubleDouble[P];
        var intercept = User.Mean[P];
        for (int j = 0; j < P; j++)
        {
            slopes[j] = b[j] == 0 ? DoubleDouble.Zero : new DoubleDouble(b[j]) / Scale[j];
            intercept -= slopes[j] * User.Mean[j];
        }

        return (intercept, slopes);
    }

    /// <summary>The penalized objective at b: (1/(2n))·RSS + penalty.</summary>
    public double Objective(Penalty penalty, ReadOnlySpan<double> b)
    {
        double q = YVariance;
        for (int j = 0; j < P; j++)
        {
            double sb = 0;
            for (int k = 0; k < P; k++)
            {
                sb += _s[(j * P) + k] * b[k];
            }

            q += b[j] * (sb - (2 * _r[j]));
        }

        return (q / 2) + penalty.Value(b);
    }

    /// <summary>(S + λI)b = r by Cholesky in double-double, as accurate as the normal equations; null when rounding leaves it indefinite.</summary>
    private double[]? Ridge(double lambda)
    {
        int p = P;
        var a = new DoubleDouble[p, p];
        for (int j = 0; j < p; j++)
        {
            for (int k = 0; k < p; k++)
            {
                a[j, k] = SDd[j, k];
            }

            a[j, j] += lambda;
        }

        if (DdMatrix.Cholesky(a, 0.0, out var r) >= 0)
        {
            return null;
        }

        var x = DdMatrix.CholeskySolve(r, RDd);
        var b = new double[p];
        for (int j = 0; j < p; j++)
        {
            b[j] = x[j].ToDouble();
        }

        return b;
    }

    /// <summary>Rounding keeps a coordinate from settling below a few units in the last place of the fit.</summary>
    private double Floor(double threshold, double[] b)
    {
        double largest = 0;
        for (int j = 0; j < P; j++)
        {
            largest = Math.Max(largest, Math.Abs(b[j]) * Math.Sqrt(Math.Max(_s[(j * P) + j], 0)));
        }

        return Math.Max(threshold, 8 * Math.ScaleB(1.0, -52) * largest);
    }

    /// <summary>g = r − S·b.</summary>
    private void Gradient(double[] b, double[] g)
    {
        for (int j = 0; j < P; j++)
        {
            double sb = 0;
            for (int k = 0; k < P; k++)
            {
                sb += _s[(j * P) + k] * b[k];
            }

            g[j] = _r[j] - sb;
        }
    }

    /// <summary>One pass of exact coordinate minimisation; returns the largest move |Δbⱼ|·√Sⱼⱼ.</summary>
    private double Sweep(Penalty penalty, double[] b, double[] g, bool activeOnly)
    {
        int p = P;
        double moved = 0;
        for (int j = 0; j < p; j++)
        {
            double old = b[j];
            if (activeOnly && old == 0)
            {
                continue;
            }

            double sjj = _s[(j * p) + j];
            double next = penalty.Coordinate(g[j] + (sjj * old), sjj);
            double delta = next - old;
            if (delta == 0)
            {
                continue;
            }

            b[j] = next;
            int row = j * p;
            for (int k = 0; k < p; k++)
            {
                g[k] -= _s[row + k] * delta;
            }

            moved = Math.Max(moved, Math.Abs(delta) * Math.Sqrt(sjj));
        }

        return moved;
    }
}
