using LeastSquares.Numerics;

namespace LeastSquares.Statistics;

/// <summary>Student's t distribution: tail probabilities and quantiles to about 15 significant digits.</summary>
public static class StudentTDistribution
{
    /// <summary>P(T &gt; t) for <paramref name="df"/> degrees of freedom.</summary>
    public static double UpperTail(double t, double df)
    {
        CheckDf(df);
        if (double.IsNaN(t))
        {
            return double.NaN;
        }

        double half = 0.5 * TwoSided(Math.Abs(t), df);
        return t >= 0 ? half : 1 - half;
    }

    /// <summary>P(|T| ≥ |t|), the two-sided p-value of <paramref name="t"/>.</summary>
    public static double TwoSidedP(double t, double df)
    {
        CheckDf(df);
        return double.IsNaN(t) ? double.NaN : TwoSided(Math.Abs(t), df);
    }

    /// <summary>The quantile: the t with P(T ≤ t) = <paramref name="p"/>.</summary>
    public static double Quantile(double p, double df)
    {
        CheckDf(df);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        }

        if (p == 0.5)
        {
            return 0;
        }

        if (p == 0 || p == 1)
        {
            return p == 0 ? double.NegativeInfinity : double.PositiveInfinity;
        }

        // Work with the upper tail q = min(p, 1 − p); 1 − p is exact for p ≥ 0.5.
        double q = p > 0.5 ? 1 - p : p;
        double t = InverseUpperTail(q, df);
        return p > 0.5 ? t : -t;
    }

    private static double InverseUpperTail(double q, double df)
    {
        // Near the centre solve P(|T| < t) = 1 − 2q, whose small values carry full relative
        // accuracy; in the tails solve P(|T| ≥ t) = 2q.
        bool central = q > 0.25;
        double logTarget = central ? Math.Log(1 - (2 * q)) : Math.Log(2 * q);
        double start = Math.Max(-MathNet.Numerics.Distributions.Normal.InvCDF(0, 1, Math.Max(q, 1e-300)), 1e-300);
        return LogNewton.Solve(start, logTarget, s =>
        {
            var (x, y) = Arguments(s, df);
            var (logTail, logCentre, logPrefactor) = IncompleteBeta.Logs(df / 2, 0.5, x, y);
            double logP = central ? logCentre : logTail;
            double elasticity = 2 * Math.Exp(logPrefactor - logP); // |d log P / d log t|
            return (logP, central ? elasticity : -elasticity);
        });
    }

    private static double TwoSided(double t, double df)
    {
        if (double.IsPositiveInfinity(t))
        {
            return 0;
        }

        var (x, y) = Arguments(t, df);
        return Math.Exp(IncompleteBeta.Logs(df / 2, 0.5, x, y).LogLower);
    }

    /// <summary>x = df/(df + t²) and y = t²/(df + t²), in double-double.</summary>
    private static (DoubleDouble X, DoubleDouble Y) Arguments(double t, double df)
    {
        var t2 = DoubleDouble.TwoProduct(t, t);
        if (!t2.IsFinite)
        {
            return (new DoubleDouble(df / t / t), DoubleDouble.One);
        }

        var s = t2 + df;
        return (new DoubleDouble(df) / s, t2 / s);
    }

    private static void CheckDf(double df)
    {
        if (!(df > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(df), df, "Degrees of freedom must be positive.");
        }
    }
}
