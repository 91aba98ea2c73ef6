using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Accuracy at scale: a 2,000,000-row file (about 60 MB, so it is read in parts through the
/// fast reader) whose exact least-squares solution is known in closed form.
/// </summary>
/// <remarks>
/// Every row of predictors appears twice, once with y = xβ + e and once with y = xβ − e. The
/// residual vector is then orthogonal to every column (each pair cancels), so the exact
/// least-squares coefficients are β itself and the SSE is n·e². β and e are dyadic and x are
/// integers, so every y is an exact double written exactly, and the answer is exact for the data
/// as read. The first predictor is a timestamp (1.7e9 + i), the case peers get wrong.
/// </remarks>
public sealed class BigFileAccuracyTests(ExactBigFile file) : IClassFixture<ExactBigFile>
{
    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Two_million_rows_give_the_closed_form_coefficients(string method)
    {
        Assert.True(new FileInfo(file.Path).Length > 32L << 20, "the file must be big enough to be read in parts of 16 MB");
        var r = Lsq.Run("fit", file.Path, "-m", method, "-f", "json", "--summary");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal(2 * ExactBigFile.Pairs, root.GetProperty("n").GetInt64());
        var estimates = root.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        var beta = ExactBigFile.Beta;
        for (int j = 0; j < beta.Length; j++)
        {
            double digits = estimates[j] == beta[j] ? 16 : -Math.Log10(Math.Abs(estimates[j] - beta[j]) / Math.Abs(beta[j]));
            Assert.True(digits >= 11, $"β{j}: {estimates[j]:R} against the exact {beta[j]:R} ({digits:F1} digits)");
        }

        // SSE = n·e² exactly, so the MSE is e².
        double mse = root.GetProperty("mse").GetDouble();
        const double Expected = ExactBigFile.E * ExactBigFile.E;
        Assert.True(Math.Abs(mse - Expected) <= 1e-9 * Expected, $"mse {mse:R}, exact {Expected:R}");
    }
}

/// <summary>The file of <see cref="BigFileAccuracyTests"/>, written once.</summary>
public sealed class ExactBigFile : IDisposable
{
    public const int Pairs = 1_000_000;
    public const double E = 0.5;
    public static readonly double[] Beta = [-3.75, 0.125, -2.25, 0.5]; // intercept, t, a, b
    private readonly TempDir _dir = new();

    public string Path { get; }

    public ExactBigFile()
    {
        Path = System.IO.Path.Combine(_dir.Path, "big-exact.csv");
        var rng = new Random(2026);
        using var writer = new StreamWriter(Path, append: false, new UTF8Encoding(false), 1 << 20);
        writer.Write("t,a,b,y\n");
        for (int i = 0; i < Pairs; i++)
        {
            long t = 1_700_000_000L + (2L * i) + rng.Next(2);
            int a = rng.Next(-100, 101);
            int b = rng.Next(0, 1000);
            double fit = Beta[0] + (Beta[1] * t) + (Beta[2] * a) + (Beta[3] * b);
            foreach (double y in new[] { fit + E, fit - E })
            {
                writer.Write(string.Create(CultureInfo.InvariantCulture, $"{t},{a},{b},{y:R}\n"));
            }
        }
    }

    public void Dispose() => _dir.Dispose();
}
