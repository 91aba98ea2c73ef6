using LeastSquares.Numerics;

namespace LeastSquares.Statistics;

/// <summary>The F distribution: tail probabilities and quantiles to about 15 significant digits.</summary>
public static class FDistribution
{
    /// <summary>P(F &gt; f) with <paramref name="df1"/> and <paramref name="df2"/> degrees of freedom.</summary>
    public static double UpperTail(double f, double df1, double df2)
    {
        Check(df1, df2);
        if (double.IsNaN(f))
        {
            return double.NaN;
        }

        if (f <= 0)
        {
            return 1;
        }

        if (double.IsPositiveInfinity(f))
        {
            return 0;
        }

        var (x, y) = Arguments(f, df1, df2);
        return Math.Exp(IncompleteBeta.Logs(df2 / 2, df1 / 2, x, y).LogLower);
    }

    /// <summary>The quantile: the f with P(F ≤ f) = <paramref name="p"/>.</summary>
    public static double Quantile(double p, double df1, double df2)
    {
        Check(df1, df2);
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must lie in [0, 1].");
        }

        if (p == 0 || p == 1)
        {
            return p == 0 ? 0 : double.PositiveInfinity;
        }

        // Solve for the smaller tail, whose value carries full relative accuracy.
        bool lower = p <= 0.5;
        double logTarget = Math.Log(lower ? p : 1 - p);
        return LogNewton.Solve(1, logTarget, f =>
        {
            var (x, y) = Arguments(f, df1, df2);
            var (logUpper, logLower, logPrefactor) = IncompleteBeta.Logs(df2 / 2, df1 / 2, x, y);
            double logP = lower ? logLower : logUpper;
            double elasticity = Math.Exp(logPrefactor - logP); // |d log P / d log f|
            return (logP, lower ? elasticity : -elasticity);
        });
    }

    /// <summary>x = df2/(df2 + df1·f) and y = df1·f/(df2 + df1·f), in double-double.</summary>
    private static (DoubleDouble X, DoubleDouble Y) Arguments(double f, double df1, double df2)
    {
        var scaled = DoubleDouble.TwoProduct(df1, f);
        if (!scaled.IsFinite)
        {
            return (new DoubleDouble(df2 / df1 / f), DoubleDouble.One);
        }

        var s = scaled + df2;
        return (new DoubleDouble(df2) / s, scaled / s);
    }

    private static void Check(double df1, double df2)
    {
        if (!(df1 > 0) || !(df2 > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(df1), "Degrees of freedom must be positive.");
        }
    }
}
