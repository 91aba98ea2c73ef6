using System.Globalization;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Commands;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// A transformed response (<c>log(y) ~ x</c>) is the response in every path: each command and
/// option that fits <c>log(y) ~ x</c> gives the numbers it gives for <c>ly ~ x</c> on the same
/// file with the column ly = log(y) written out (to 1e-12). Also the robust covariance's edge
/// (a row of leverage 1 under HC2/HC3) and a missing --cluster cell.
/// </summary>
public sealed class TransformedResponseTests
{
    /// <summary>Seeded rows: x, a positive y, its transforms written to round trip, a weight, a cluster and a group.</summary>
    private static string Data()
    {
        var random = new Random(20261201);
        var csv = new StringBuilder("x,y,ly,hy,sy,w,g,grp\n");
        for (int i = 0; i < 48; i++)
        {
            double x = Math.Round(0.5 + (random.NextDouble() * 4.5), 3);
            double y = Math.Round(Math.Exp(1 + (0.3 * x) + (0.25 * (random.NextDouble() - 0.5)) * (1 + x)), 4);
            int w = 1 + random.Next(4);
            csv.Append(CultureInfo.InvariantCulture,
                $"{x:R},{y:R},{Math.Log(y):R},{y / 2:R},{Math.Sqrt(y):R},{w},{"abcdef"[i % 6]},{(i % 2 == 0 ? "p" : "q")}\n");
        }

        return csv.ToString();
    }

    public static TheoryData<string, string> Responses => new()
    {
        { "log(y)", "ly" },
        { "I(y/2)", "hy" },
        { "sqrt(y)", "sy" },
    };

    /// <summary>The fit's options of every path that reads the response: weights by method, the second passes, groups.</summary>
    public static IEnumerable<string[]> FitPaths()
    {
        yield return ["--summary"];
        yield return ["--weights", "w", "--summary"];
        yield return ["--weights", "w", "--summary", "-m", "qr"];
        yield return ["--weights", "w", "--summary", "-m", "gd", "--tol", "1e-13", "--max-iter", "100000"];

        foreach (var type in new[] { "HC0", "HC1", "HC2", "HC3" })
        {
            yield return ["--vcov", type, "--summary"];
            yield return ["--vcov", type, "--summary", "--weights", "w"];
            yield return ["--vcov", type, "--summary", "--weights", "w", "-m", "qr"];
        }

        yield return ["--cluster", "g", "--summary"];
        yield return ["--cluster", "g", "--summary", "--weights", "w"];
        yield return ["--by", "grp", "--weights", "w", "--summary"];
        yield return ["--by", "grp", "--vcov", "HC3", "--summary"];
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void Every_fit_path_fits_the_transform_as_the_precomputed_column(string response, string column)
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data());
        foreach (var path in FitPaths())
        {
            var transformed = Json(Lsq.Run(["fit", file, response + " ~ x", "-f", "json", "-q", .. path]));
            var precomputed = Json(Lsq.Run(["fit", file, column + " ~ x", "-f", "json", "-q", .. path]));
            SameNumbers(precomputed, transformed, string.Join(' ', path));
        }
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void Weighted_anova_partials_and_saved_models_use_the_transform(string response, string column)
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data());

        SameNumbers(Json(Lsq.Run("anova", file, column + " ~ x + I(x^2)", "--weights", "w", "-f", "json", "-q")),
            Json(Lsq.Run("anova", file, response + " ~ x + I(x^2)", "--weights", "w", "-f", "json", "-q")), "anova --weights");

        string Merged(string formula)
        {
            var part = Lsq.Run("fit", file, formula, "--weights", "w", "--partial");
            Assert.True(part.Code == 0, part.Err);
            var merged = Lsq.RunWithInput(part.Out, "merge", "--summary", "-f", "json");
            Assert.True(merged.Code == 0, merged.Err);
            return merged.Out;
        }

        SameNumbers(JsonDocument.Parse(Merged(column + " ~ x")).RootElement, JsonDocument.Parse(Merged(response + " ~ x")).RootElement, "--partial + merge");

        string[] Predicted(string formula, string name, params string[] extra)
        {
            var model = Path.Combine(dir.Path, name);
            var fit = Lsq.Run(["fit", file, formula, "--save", model, "-q", .. extra]);
            Assert.True(fit.Code == 0, fit.Err);
            var predicted = Lsq.Run("predict", "--model", model, file, "--interval", "confidence", "--diagnostics", "--only");
            Assert.True(predicted.Code == 0, predicted.Err);
            return predicted.Out.Trim().Split('\n');
        }

        foreach (var extra in new[] { Array.Empty<string>(), ["--weights", "w"] })
        {
            var expected = Predicted(column + " ~ x", "a.json", extra);
            var actual = Predicted(response + " ~ x", "b.json", extra);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 1; i < expected.Length; i++)
            {
                var e = expected[i].Split(',');
                var a = actual[i].Split(',');
                for (int k = 0; k < e.Length; k++)
                {
                    Close(Parse(e[k]), Parse(a[k]), $"predict {string.Join(' ', extra)} line {i} field {k}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Responses))]
    public void Diagnostic_plot_draws_the_residuals_of_the_transform(string response, string column)
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data());
        var context = new CliContext(TextWriter.Null, TextWriter.Null, () => new MemoryStream());
        DiagnosticData Read(string formula) =>
            DiagnosticPlots.Read(new PlotSettings { File = file, Model = new ModelSpec(null, null, 1, true) { Formula = formula } }, context);
        var expected = Read(column + " ~ x").Points;
        var actual = Read(response + " ~ x").Points;
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Row, actual[i].Row);
            Close(expected[i].Fitted, actual[i].Fitted, $"row {i} fitted");
            Close(expected[i].Residual, actual[i].Residual, $"row {i} residual");
            Close(expected[i].StandardizedResidual, actual[i].StandardizedResidual, $"row {i} standardized residual");
            Close(expected[i].CooksDistance, actual[i].CooksDistance, $"row {i} Cook's distance");
        }
    }

    /// <summary>A row alone in its cell has leverage 1: R's sandwich warns and its HC2/HC3 covariance is NaN.</summary>
    [Theory]
    [InlineData("HC2")]
    [InlineData("HC3")]
    public void Leverage_one_row_makes_HC2_and_HC3_NaN_with_a_warning_naming_it(string type)
    {
        using var dir = new TempDir();
        var csv = new StringBuilder("x,g,y\n");
        for (int i = 0; i < 12; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{i},{(i < 6 ? "a" : "b")},{(i * 0.7) + ((i * 37 % 11) / 10.0)}\n");
        }

        csv.Append("5,c,9.5\n"); // row 13: the only row of level c
        var file = dir.File("d.csv", csv.ToString());
        var run = Lsq.Run("fit", file, "y ~ x + g", "--vcov", type, "--summary", "-f", "json");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("row 13 of the rows used has leverage 1", run.Err, StringComparison.Ordinal);
        var fit = JsonDocument.Parse(run.Out).RootElement;
        Assert.Contains(fit.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("row 13", StringComparison.Ordinal));
        foreach (var c in fit.GetProperty("coefficients").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Number, c.GetProperty("estimate").ValueKind);
            Assert.Equal(JsonValueKind.Null, c.GetProperty("std_error").ValueKind);
            Assert.Equal(JsonValueKind.Null, c.GetProperty("p_value").ValueKind);
        }

        Assert.Equal(JsonValueKind.Null, fit.GetProperty("f_statistic").ValueKind);

        // HC0 and HC1 have no 1 − h in them: finite, and no warning.
        var hc1 = Lsq.Run("fit", file, "y ~ x + g", "--vcov", "HC1", "--summary", "-f", "json");
        Assert.True(hc1.Code == 0 && hc1.Err.Length == 0, hc1.Err);
        Assert.All(JsonDocument.Parse(hc1.Out).RootElement.GetProperty("coefficients").EnumerateArray(),
            c => Assert.Equal(JsonValueKind.Number, c.GetProperty("std_error").ValueKind));
    }

    [Fact]
    public void Missing_cluster_cell_is_skipped_with_the_row_under_missing_skip()
    {
        using var dir = new TempDir();
        var rows = Data().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Row 5's cluster is NA: with --missing skip the fit and the sandwich leave the row out, as the file without it.
        var cells = rows[5].Split(',');
        cells[6] = "NA";
        var withNa = dir.File("na.csv", string.Join('\n', rows.Take(5).Append(string.Join(',', cells)).Concat(rows.Skip(6))) + "\n");
        var without = dir.File("without.csv", string.Join('\n', rows.Take(5).Concat(rows.Skip(6))) + "\n");
        foreach (var extra in new[] { Array.Empty<string>(), ["--weights", "w"] })
        {
            var skipped = Lsq.Run(["fit", withNa, "log(y) ~ x", "--cluster", "g", "--summary", "-f", "json", "--missing", "skip", .. extra]);
            Assert.True(skipped.Code == 0, skipped.Err);
            Assert.Contains("1 row", skipped.Err, StringComparison.Ordinal);
            var expected = Json(Lsq.Run(["fit", without, "log(y) ~ x", "--cluster", "g", "--summary", "-f", "json", "-q", .. extra]));
            var actual = JsonDocument.Parse(skipped.Out).RootElement;
            Assert.Equal(1, actual.GetProperty("skipped_rows").GetInt64());
            Assert.Equal(expected.GetProperty("vcov_type").GetString(), actual.GetProperty("vcov_type").GetString());
            var e = expected.GetProperty("coefficients").EnumerateArray().ToArray();
            var a = actual.GetProperty("coefficients").EnumerateArray().ToArray();
            for (int j = 0; j < e.Length; j++)
            {
                Assert.Equal(e[j].GetProperty("estimate").GetDouble(), a[j].GetProperty("estimate").GetDouble(), 12);
                Assert.Equal(e[j].GetProperty("std_error").GetDouble(), a[j].GetProperty("std_error").GetDouble(), 12);
            }
        }
    }

    private static JsonElement Json(Lsq.Result r)
    {
        Assert.True(r.Code == 0, r.Err);
        // One object, or (--by) one line per group: read as an array.
        var lines = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return JsonDocument.Parse(lines.Length == 1 ? lines[0] : "[" + string.Join(",", lines) + "]").RootElement.Clone();
    }

    private static double Parse(string cell) =>
        cell.Length == 0 ? double.NaN : double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN;

    private static void Close(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual:R}");
            return;
        }

        double scale = Math.Max(1, Math.Max(Math.Abs(expected), Math.Abs(actual)));
        Assert.True(Math.Abs(expected - actual) <= 1e-12 * scale, $"{what}: expected {expected:R}, got {actual:R}");
    }

    /// <summary>The same shape and the same numbers (to 1e-12); texts (the response's name) may differ.</summary>
    private static void SameNumbers(JsonElement expected, JsonElement actual, string what)
    {
        Assert.True(expected.ValueKind == actual.ValueKind, $"{what}: {expected.ValueKind} vs {actual.ValueKind}");
        switch (expected.ValueKind)
        {
            case JsonValueKind.Number:
                Close(expected.GetDouble(), actual.GetDouble(), what);
                break;
            case JsonValueKind.Array:
                var e = expected.EnumerateArray().ToArray();
                var a = actual.EnumerateArray().ToArray();
                Assert.True(e.Length == a.Length, $"{what}: {e.Length} vs {a.Length} items");
                for (int i = 0; i < e.Length; i++)
                {
                    SameNumbers(e[i], a[i], $"{what}[{i}]");
                }

                break;
            case JsonValueKind.Object:
                var names = expected.EnumerateObject().Select(p => p.Name).ToArray();
                Assert.Equal(names, actual.EnumerateObject().Select(p => p.Name).ToArray());
                foreach (var name in names)
                {
                    SameNumbers(expected.GetProperty(name), actual.GetProperty(name), $"{what}.{name}");
                }

                break;
        }
    }
}
