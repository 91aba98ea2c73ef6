namespace LeastSquares.Statistics;

/// <summary>Newton's method on log P against log s, for quantiles.</summary>
internal static class LogNewton
{
    /// <summary>
    /// Finds s &gt; 0 with log P(s) = <paramref name="logTarget"/>, where <paramref name="eval"/>
    /// gives log P(s) and the elasticity d log P / d log s. Both the tails of a distribution
    /// (P ≈ C·s^−k) and its centre (P ≈ C·s) are nearly straight lines in these coordinates, so
    /// a few steps suffice from a rough start.
    /// </summary>
    public static double Solve(double start, double logTarget, Func<double, (double LogP, double Elasticity)> eval)
    {
        double v = Math.Log(start);
        double previous = double.PositiveInfinity;
        for (int i = 0; i < 200; i++)
        {
            var (logP, elasticity) = eval(Math.Exp(v));
            double step = Math.Clamp((logTarget - logP) / elasticity, -4, 4);
            if (Math.Abs(step) < 1e-15 || (Math.Abs(step) >= previous && Math.Abs(step) < 1e-12))
            {
                return Math.Exp(v + step);
            }

            previous = Math.Abs(step);
            v += step;
        }

        return Math.Exp(v);
    }
}
