namespace LeastSquares.Tests.Statistics;

/// <summary>
/// The <c>--summary</c> statistics of one seeded, non-NIST fit recomputed in the test from
/// independent ingredients: the exact least-squares solution (rational arithmetic), the standard
/// errors from the Frisch–Waugh–Lovell theorem rather than from a matrix inverse, and the
/// Student-t and F tail probabilities from closed-form series instead of MathNet's incomplete beta.
/// </summary>
public sealed class SummaryStatisticsTests
{
    // n = 23 rows and p = 3 coefficients: 20 residual degrees of freedom (even, so the series below
    // have integer parameters) and 2 model degrees of freedom.
    private const int N = 23;
    private const int Df = 20;

    [Theory]
    [InlineData(FitMethod.Normal)]
    [InlineData(FitMethod.Qr)]
    public void Summary_matches_an_independent_computation(FitMethod method)
    {
        var rng = new Random(2024);
        var x = Enumerable.Range(0, N).Select(_ => new[] { 10 * rng.NextDouble(), 10 * rng.NextDouble() }).ToArray();
        // x1 matters enormously (t ≈ 500, p ≈ 1e-40: must not be floored at 2e-16), x2 hardly at all.
        var y = x.Select(r => 1 + (2 * r[0]) + (0.001 * r[1]) + (0.1 * Synthetic.Normal(rng))).ToArray();
        var (theta, sse) = ExactLeastSquares.Solve(x, y, intercept: true);
        var fit = Synthetic.Fit(x, y, method);
        var stats = RegressionStatistics.Compute(fit);

        // Frisch–Waugh–Lovell: [(XᵀX)⁻¹]ⱼⱼ = 1/RSSⱼ, RSSⱼ the residual sum of squares of column j
        // regressed on all the other columns of X.
        var ones = Enumerable.Repeat(1.0, N).ToArray();
        double[] rss =
        [
            ExactLeastSquares.Solve(x, ones, intercept: false).Sse,
            ExactLeastSquares.Solve(x.Select(r => new[] { r[1] }).ToArray(), x.Select(r => r[0]).ToArray(), intercept: true).Sse,
            ExactLeastSquares.Solve(x.Select(r => new[] { r[0] }).ToArray(), x.Select(r => r[1]).ToArray(), intercept: true).Sse,
        ];
        double sigma2 = sse / Df;
        double tCrit = StudentQuantile975();
        Assert.Equal(2.0859634472658, tCrit, 1e-12); // R: qt(0.975, 20) = 2.085963447265837
        for (int j = 0; j < 3; j++)
        {
            double se = Math.Sqrt(sigma2 / rss[j]);
            double t = theta[j] / se;
            var c = stats.Coefficients[j];
            AssertClose(theta[j], c.Estimate, $"estimate {j}");
            AssertClose(se, c.StandardError!.Value, $"std error {j}");
            AssertClose(t, c.T!.Value, $"t {j}");
            AssertClose(TwoSidedP(t), c.PValue!.Value, $"p {j}", 1e-9);
            AssertClose(theta[j] - (tCrit * se), c.ConfidenceLow!.Value, $"ci low {j}");
            AssertClose(theta[j] + (tCrit * se), c.ConfidenceHigh!.Value, $"ci high {j}");
        }

        Assert.True(stats.Coefficients[1].PValue < 1e-30, $"p of x1 is {stats.Coefficients[1].PValue}: tiny p-values must not be floored");

        double mean = y.Average();
        double sst = y.Sum(v => (v - mean) * (v - mean));
        double f = (sst - sse) / 2 / (sse / Df);
        AssertClose(1 - (sse / sst), stats.RSquared!.Value, "R²");
        AssertClose(1 - ((sse / sst) * (N - 1) / Df), stats.AdjustedRSquared!.Value, "adjusted R²");
        AssertClose(Math.Sqrt(sigma2), stats.ResidualStandardError!.Value, "residual SE");
        AssertClose(f, stats.FStatistic!.Value, "F");
        // F with (2, 20) df: P(F > f) = I_x(10, 1) = x¹⁰, x = 20/(20 + 2f) (DLMF 8.17.5 with b = 1).
        AssertClose(Math.Pow(Df / (Df + (2 * f)), 10), stats.FPValue!.Value, "p of F", 1e-9);
        // Gaussian log-likelihood at the MLE σ² = SSE/n; AIC and BIC count σ² as a parameter (k = p + 1 = 4), as R does.
        double logLik = -N / 2.0 * (Math.Log(2 * Math.PI) + 1 + Math.Log(sse / N));
        AssertClose((-2 * logLik) + (2 * 4), stats.Aic!.Value, "AIC");
        AssertClose((-2 * logLik) + (Math.Log(N) * 4), stats.Bic!.Value, "BIC");
    }

    private static void AssertClose(double expected, double actual, string what, double relative = 1e-11) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"{what}: {actual:R} vs independent {expected:R}");

    // P(|T| > t) for Student's t with 20 df is I_x(10, 1/2), x = 20/(20 + t²). DLMF 8.17.8 gives
    // I_x(a, b) = xᵃ(1 − x)ᵇ/(a·B(a, b)) · Σₙ (a + b)ₙ/(a + 1)ₙ · xⁿ, a series of positive terms
    // (no cancellation however small the tail), and B(10, 1/2) = 9!·4¹⁰·10!/20! (DLMF 5.5.5).
    private static double TwoSidedP(double t)
    {
        double a = 10, b = 0.5;
        double x = Df / (Df + (t * t));
        double beta = 362880.0 * Math.Pow(4, 10) * 3628800.0 / 2432902008176640000.0;
        double sum = 0, term = 1;
        for (int n = 0; n < 100000 && term > 1e-18 * sum; n++)
        {
            sum += term;
            term *= (a + b + n) / (a + 1 + n) * x;
        }

        return Math.Pow(x, a) * Math.Pow(1 - x, b) / (a * beta) * sum;
    }

    // The 97.5% quantile of t(20), by bisection on the tail above.
    private static double StudentQuantile975()
    {
        double lo = 1, hi = 4;
        for (int i = 0; i < 200; i++)
        {
            double mid = (lo + hi) / 2;
            if (TwoSidedP(mid) > 0.05)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }
}
