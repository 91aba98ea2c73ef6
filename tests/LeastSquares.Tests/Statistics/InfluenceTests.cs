using System.Globalization;
using System.Text.Json;
using LeastSquares.Solvers;
using LeastSquares.State;
using LeastSquares.Statistics;
using LeastSquares.Terms;

namespace LeastSquares.Tests.Statistics;

/// <summary>
/// <see cref="Influence"/> against R's hatvalues, rstandard and cooks.distance of lm(dist ~ speed,
/// cars) and lm(mpg ~ wt + hp, mtcars) (tests/reference/r/plotlm.json, make-plotlm.R): the second
/// pass of any command that needs a row's influence (plot's diagnostics, predict's).
/// </summary>
public sealed class InfluenceTests
{
    private static JsonElement Case(string id)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.RepoRoot(), "tests", "reference", "r", "plotlm.json")));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id).Clone();
    }

    private static double[] Numbers(JsonElement c, string name) => [.. c.GetProperty(name).EnumerateArray().Select(e => e.GetDouble())];

    /// <summary>The columns of a write.csv file (row names first), numbers only.</summary>
    private static (string[] Header, double[][] Rows) Read(JsonElement c)
    {
        var lines = File.ReadAllLines(Path.Combine(TestData.RepoRoot(), c.GetProperty("data_file").GetString()!));
        var header = lines[0].Split(',').Select(h => h.Trim('"')).ToArray();
        var rows = lines.Skip(1).Select(l => l.Split(',').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        return (header[1..], rows);
    }

    [Theory]
    [InlineData("cars_speed", "dist", new[] { "speed" })]
    [InlineData("mtcars_wt_hp", "mpg", new[] { "wt", "hp" })]
    public void Leverage_standardized_residual_and_Cooks_distance_match_R(string id, string target, string[] predictors)
    {
        var c = Case(id);
        var (header, rows) = Read(c);
        var terms = new ModelTerms(predictors, target);
        int[] at = [.. predictors.Append(target).Select(n => Array.IndexOf(header, n))];
        var accumulator = MomentAccumulator.Create(terms);
        foreach (var r in rows)
        {
            accumulator.Add([.. at.Select(j => r[j])]);
        }

        var fit = Solver.Fit(accumulator, new SolverOptions());
        var influence = Influence.Of(fit)!;
        Assert.Equal(c.GetProperty("sigma").GetDouble(), influence.Sigma, 1e-13 * influence.Sigma);
        Assert.Equal(c.GetProperty("p").GetInt32(), influence.Parameters);
        var model = LinearModel.FromFit(fit);
        var (h, rs, cook) = (Numbers(c, "hatvalues"), Numbers(c, "rstandard"), Numbers(c, "cooks_distance"));
        var features = new double[influence.Parameters];
        for (int i = 0; i < rows.Length; i++)
        {
            double[] x = [.. at.SkipLast(1).Select(j => rows[i][j])];
            influence.Features(x, features);
            Assert.Equal(1.0, features[0]);
            var measures = influence.Of(features, rows[i][at[^1]] - model.Predict(x));
            Assert.Equal(h[i], measures.Leverage, 1e-12 * h[i]);
            Assert.Equal(rs[i], measures.StandardizedResidual, 1e-11 * Math.Max(1, Math.Abs(rs[i])));
            Assert.Equal(cook[i], measures.CooksDistance, 1e-11 * Math.Max(1e-3, cook[i]));
        }
    }

    [Fact]
    public void A_row_of_leverage_one_has_no_standardized_residual()
    {
        Assert.True(double.IsNaN(Influence.CooksDistance(1, 1, 2)));
        var terms = new ModelTerms(["x"], "y");
        var influence = new Influence(terms, new double[,] { { 1, 0 }, { 0, 1 } }, 2);
        Assert.True(double.IsNaN(influence.StandardizedResidual(0.5, 1)));
        Assert.Equal(0.5 / (2 * Math.Sqrt(0.75)), influence.StandardizedResidual(0.5, 0.25), 15);
        Assert.Equal(Math.Sqrt(0.5 * 2 * 0.75 / 0.25), Influence.CooksContour(0.5, 0.25, 2), 15);
    }

    [Fact]
    public void Penalized_and_saturated_fits_have_no_influence_measures()
    {
        var terms = new ModelTerms(["x"], "y");
        var accumulator = MomentAccumulator.Create(terms);
        accumulator.Add([1.0, 2.0]);
        accumulator.Add([2.0, 5.0]);
        Assert.Null(Influence.Of(Solver.Fit(accumulator, new SolverOptions()))); // n = p: no σ̂
    }
}
