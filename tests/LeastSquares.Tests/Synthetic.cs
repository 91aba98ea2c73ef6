namespace LeastSquares.Tests;

/// <summary>Seeded synthetic data sets with a known generating model.</summary>
internal static class Synthetic
{
    public static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>y = β₀ + Σ βⱼxⱼ + σ·N(0,1), x uniform on [lo, hi] + offset.</summary>
    public static (double[][] X, double[] Y) Linear(int seed, int n, double[] beta, double sigma, double offset = 0, double lo = 0, double hi = 2)
    {
        var rng = new Random(seed);
        int k = beta.Length - 1;
        var x = new double[n][];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            x[i] = new double[k];
            double v = beta[0];
            for (int j = 0; j < k; j++)
            {
                double raw = lo + ((hi - lo) * rng.NextDouble());
                x[i][j] = offset + raw;
                v += beta[j + 1] * raw; // the model holds in the unshifted variable
            }

            y[i] = v + (sigma * Normal(rng));
        }

        return (x, y);
    }

    public static Moments Moments(double[][] x, double[] y, bool intercept = true, int degree = 1, string[]? names = null)
    {
        int k = x[0].Length;
        names ??= Enumerable.Range(1, k).Select(j => k == 1 ? "x" : "x" + j).ToArray();
        var terms = new ModelTerms(names, "y", degree, intercept);
        var acc = MomentAccumulator.Create(terms);
        var row = new double[k + 1];
        for (int i = 0; i < y.Length; i++)
        {
            x[i].CopyTo(row, 0);
            row[k] = y[i];
            acc.Add(row);
        }

        return acc.ToMoments();
    }

    /// <summary>The rows folded into the accumulator <paramref name="method"/> needs, then fitted.</summary>
    public static FitResult Fit(double[][] x, double[] y, FitMethod method, bool intercept = true, int degree = 1, string[]? names = null)
    {
        int k = x[0].Length;
        names ??= Enumerable.Range(1, k).Select(j => k == 1 ? "x" : "x" + j).ToArray();
        var acc = MomentAccumulator.Create(new ModelTerms(names, "y", degree, intercept), method);
        var row = new double[k + 1];
        for (int i = 0; i < y.Length; i++)
        {
            x[i].CopyTo(row, 0);
            row[k] = y[i];
            acc.Add(row);
        }

        return Solver.Fit(acc, new SolverOptions { Method = method });
    }

    /// <summary>Relative agreement in significant digits, −log10(|a − b|/|b|), capped at 16.</summary>
    public static double Digits(double a, double b)
    {
        double err = b == 0 ? Math.Abs(a) : Math.Abs(a - b) / Math.Abs(b);
        return err == 0 ? 16 : Math.Min(16, -Math.Log10(err));
    }
}
