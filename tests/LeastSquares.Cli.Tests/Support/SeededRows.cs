using System.Globalization;

namespace LeastSquares.Cli.Tests;

/// <summary>Seeded rows for the merge tests.</summary>
internal static class SeededRows
{
    /// <summary>Seeded rows with a timestamp-like predictor near 1.7e9; y depends on t − 1.7e9.</summary>
    public static (string Header, string[] Rows) Shifted(int n, int seed)
    {
        var rng = new Random(seed);
        var rows = new string[n];
        for (int i = 0; i < n; i++)
        {
            double dt = rng.NextDouble() * 86400 * 30;
            double t = 1.7e9 + Math.Round(dt);
            double u = rng.NextDouble() * 4 - 2;
            double y = 12.5 + 2e-6 * (t - 1.7e9) - 3e-12 * Math.Pow(t - 1.7e9, 2) + 0.75 * u + (rng.NextDouble() - 0.5);
            rows[i] = string.Create(CultureInfo.InvariantCulture, $"{t:R},{u:R},{y:R}");
        }

        return ("t,u,y", rows);
    }
}
