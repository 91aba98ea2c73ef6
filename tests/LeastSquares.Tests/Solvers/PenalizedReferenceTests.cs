using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace LeastSquares.Tests.Solvers;

/// <summary>
/// Ridge, lasso and elastic net against scikit-learn's fits at tol = 1e-14
/// (tests/reference/sklearn/penalized.json: 48 fits, raw and standardized columns).
/// </summary>
public sealed class PenalizedReferenceTests(ITestOutputHelper output)
{
    public static TheoryData<string> Fits()
    {
        var data = new TheoryData<string>();
        foreach (var fit in Reference().RootElement.GetProperty("fits").EnumerateArray())
        {
            data.Add(fit.GetProperty("id").GetString()!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void MatchesScikitLearn(string id)
    {
        using var reference = Reference();
        var fit = reference.RootElement.GetProperty("fits").EnumerateArray().Single(f => f.GetProperty("id").GetString() == id);
        var moments = Load(fit.GetProperty("dataset").GetString()!);
        var penalty = new Penalty(fit.GetProperty("lambda").GetDouble(), fit.GetProperty("l1_ratio").GetDouble(),
            fit.GetProperty("scale").GetString() == "standard");
        var result = PenalizedSolver.Fit(moments, penalty);

        var expected = new List<double> { fit.GetProperty("intercept").GetDouble() };
        expected.AddRange(fit.GetProperty("coef").EnumerateArray().Select(e => e.GetDouble()));
        double scale = expected.Skip(1).Max(Math.Abs);
        double worst = 0;
        for (int j = 0; j < expected.Count; j++)
        {
            double size = j == 0 ? Math.Abs(expected[0]) : scale;
            worst = Math.Max(worst, Math.Abs(result.Coefficients[j] - expected[j]) / size);
            if (j > 0 && expected[j] == 0)
            {
                Assert.Equal(0.0, result.Coefficients[j]); // dropped coefficients are exact zeros
            }
        }

        output.WriteLine($"{id}: worst relative difference {worst:E2}, {result.Iterations} sweeps");
        Assert.True(worst <= 1e-8, $"{id}: worst relative difference {worst:E2}");
        Assert.Equal(fit.GetProperty("nonzero").GetInt32(), result.NonZero);
        Assert.True(result.Converged);
        Assert.Null(result.UnscaledCovariance);
    }

    internal static JsonDocument Reference() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder(), "penalized.json")));

    /// <summary>The moments of a reference data set (the response is the last column, y).</summary>
    internal static Moments Load(string dataset)
    {
        var lines = File.ReadAllLines(Path.Combine(Folder(), dataset + ".csv")).Where(l => l.Length > 0).ToArray();
        var header = lines[0].Split(',');
        var terms = new ModelTerms(header[..^1], header[^1]);
        var accumulator = MomentAccumulator.Create(terms);
        foreach (var line in lines.Skip(1))
        {
            accumulator.Add(line.Split(',').Select(v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture)).ToArray());
        }

        return accumulator.ToMoments();
    }

    internal static string Folder() => Path.Combine(TestData.RepoRoot(), "tests", "reference", "sklearn");
}
