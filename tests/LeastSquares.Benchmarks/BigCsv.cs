using System.Globalization;

namespace LeastSquares.Benchmarks;

/// <summary>
/// The seeded benchmark problem: y = β₀ + Σ βⱼxⱼ + σ·N(0,1) with predictors of different scales
/// and offsets, written as CSV with every double in shortest round-trip form.
/// </summary>
public static class BigCsv
{
    /// <summary>Noise level of the response.</summary>
    public const double Sigma = 1e-6;

    /// <summary>The generating coefficients: intercept first, then one per predictor.</summary>
    public static double[] Beta(int predictors)
    {
        var beta = new double[predictors + 1];
        beta[0] = 1.5;
        for (int j = 1; j <= predictors; j++)
        {
            beta[j] = (j % 2 == 0 ? -1 : 1) * (0.25 * j);
        }

        return beta;
    }

    /// <summary>Writes <paramref name="rows"/> rows to <paramref name="output"/>.</summary>
    public static void Write(Stream output, long rows, int predictors, int seed)
    {
        var rng = new Random(seed);
        var beta = Beta(predictors);
        var buffer = new byte[1 << 20];
        int used = 0;
        void Flush()
        {
            output.Write(buffer, 0, used);
            used = 0;
        }

        void Text(string s)
        {
            used += System.Text.Encoding.ASCII.GetBytes(s, 0, s.Length, buffer, used);
        }

        Text(string.Join(',', Enumerable.Range(1, predictors).Select(j => "x" + j.ToString(CultureInfo.InvariantCulture))) + ",y\n");
        var x = new double[predictors];
        for (long i = 0; i < rows; i++)
        {
            if (used > buffer.Length - 4096)
            {
                Flush();
            }

            double y = beta[0];
            for (int j = 0; j < predictors; j++)
            {
                // Predictor j has scale 10^(j mod 4) and offset 100·j, so the columns differ.
                double scale = Math.Pow(10, j % 4);
                x[j] = (100.0 * j) + (scale * (rng.NextDouble() - 0.5));
                y += beta[j + 1] * x[j];
            }

            y += Sigma * Normal(rng);
            for (int j = 0; j < predictors; j++)
            {
                x[j].TryFormat(buffer.AsSpan(used), out int n, "R", CultureInfo.InvariantCulture);
                used += n;
                buffer[used++] = (byte)',';
            }

            y.TryFormat(buffer.AsSpan(used), out int m, "R", CultureInfo.InvariantCulture);
            used += m;
            buffer[used++] = (byte)'\n';
        }

        Flush();
    }

    private static double Normal(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
