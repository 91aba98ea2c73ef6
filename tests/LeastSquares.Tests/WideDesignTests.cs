using System.Globalization;

namespace LeastSquares.Tests;

/// <summary>
/// Wide designs (rows of 16 values or more take the blocked accumulation kernel): ill-conditioned
/// ones against exact answers, and the two closed-form methods against each other at p = 500.
/// </summary>
public sealed class WideDesignTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [InlineData(FitMethod.Normal)]
    [InlineData(FitMethod.Qr)]
    public void An_exact_wide_fit_with_offsets_and_near_collinear_columns_gives_the_exact_coefficients(FitMethod method)
    {
        // 60 integer columns around 1e6 (collinear with the intercept but for ±500), every third
        // one its predecessor plus a ±1 on a few rows only (near-collinear pairs), and y = Xβ with
        // β = (−1)ʲ·j/8: exact in double, so the least-squares solution is β and its SSE 0.
        int p = 60;
        var rng = new Random(18);
        var x = new double[400][];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = new double[p];
            for (int j = 0; j < p; j++)
            {
                x[i][j] = j % 3 == 2 ? x[i][j - 1] + (rng.Next(8) == 0 ? rng.Next(2) * 2 - 1 : 0) : 1e6 + rng.Next(-500, 501);
            }
        }

        var beta = Enumerable.Range(0, p + 1).Select(j => (j % 2 == 0 ? 1 : -1) * j / 8.0).ToArray();
        var y = x.Select(r => beta[0] + r.Select((v, j) => v * beta[j + 1]).Sum()).ToArray();
        Assert.All(x.Zip(y), pair => Assert.Equal(ExactValue(pair.First, beta), pair.Second)); // y is exact

        var fit = Synthetic.Fit(x, y, method);
        var digits = beta.Select((b, j) => b == 0 ? 16 - Math.Log10(1 + Math.Abs(fit.Coefficients[j])) : Synthetic.Digits(fit.Coefficients[j], b)).ToArray();
        output.WriteLine(FormattableString.Invariant($"{method}: worst {digits.Min():F1} digits, SSE {fit.SumOfSquaredErrors:R}"));
        Assert.True(digits.Min() >= (method == FitMethod.Qr ? 12 : 10), FormattableString.Invariant($"{method}: {digits.Min():F1} digits"));
        Assert.True(fit.SumOfSquaredErrors <= 1e-12 * y.Sum(v => v * v), FormattableString.Invariant($"{method}: SSE {fit.SumOfSquaredErrors:R}"));
    }

    [Theory]
    [InlineData(FitMethod.Normal)]
    [InlineData(FitMethod.Qr)]
    public void A_noisy_wide_fit_with_offsets_matches_the_exact_rational_solution(FitMethod method)
    {
        // 24 predictors of magnitudes 1e-3 to 1e3, half of them offset by 1e6 times their scale,
        // so the moments go through the blocked kernel's paths with and without low parts.
        int p = 24;
        var rng = new Random(7);
        var x = new double[300][];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = new double[p];
            for (int j = 0; j < p; j++)
            {
                double scale = Math.Pow(10, (j % 7) - 3);
                x[i][j] = ((j % 2 == 0 ? 1e6 : 0) + rng.NextDouble()) * scale;
            }
        }

        var y = x.Select(r => 5 + r.Select((v, j) => v * (j + 1) / Math.Pow(10, (j % 7) - 3)).Sum() + Synthetic.Normal(rng)).ToArray();
        var (theta, sse) = ExactLeastSquares.Solve(x, y, intercept: true);
        var fit = Synthetic.Fit(x, y, method);
        var digits = theta.Select((t, j) => Synthetic.Digits(fit.Coefficients[j], t)).Append(Synthetic.Digits(fit.SumOfSquaredErrors, sse)).ToArray();
        output.WriteLine($"{method}: worst {digits.Min().ToString("F1", CultureInfo.InvariantCulture)} digits");
        Assert.True(digits.Min() >= (method == FitMethod.Qr ? 12 : 10), $"{method}: {digits.Min()} digits");
    }

    [Fact]
    public void Normal_and_qr_agree_to_11_digits_at_500_predictors()
    {
        int p = 500;
        var rng = new Random(500);
        var beta = Enumerable.Range(1, p).Select(j => (j % 2 == 0 ? 1.0 : -1.0) / j).ToArray();
        var x = new double[620][];
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = new double[p];
            double s = 1;
            for (int j = 0; j < p; j++)
            {
                x[i][j] = (j % 3 == 0 ? 100 : 0) + Synthetic.Normal(rng) * Math.Pow(10, (j % 5) - 2);
                s += x[i][j] * beta[j];
            }

            y[i] = s + (0.1 * Synthetic.Normal(rng));
        }

        var normal = Synthetic.Fit(x, y, FitMethod.Normal);
        var qr = Synthetic.Fit(x, y, FitMethod.Qr);
        var digits = normal.Coefficients.Select((c, j) => Synthetic.Digits(c, qr.Coefficients[j])).ToArray();
        output.WriteLine(FormattableString.Invariant($"worst {digits.Min():F1} digits, median {digits.Order().ElementAt(digits.Length / 2):F1}"));
        Assert.True(digits.Min() >= 11, FormattableString.Invariant($"normal and qr agree to {digits.Min():F1} digits only"));
        Assert.True(Synthetic.Digits(normal.SumOfSquaredErrors, qr.SumOfSquaredErrors) >= 11);
    }

    /// <summary>β₀ + Σ xⱼβⱼ in exact rational arithmetic, rounded once.</summary>
    private static double ExactValue(double[] x, double[] beta)
    {
        var sum = new System.Numerics.BigInteger(beta[0] * 8);
        for (int j = 0; j < x.Length; j++)
        {
            sum += new System.Numerics.BigInteger(x[j]) * new System.Numerics.BigInteger(beta[j + 1] * 8);
        }

        return (double)sum / 8;
    }
}
