using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>No inference from a gd or sgd iterate that is not the least-squares estimate.</summary>
public sealed class UnconvergedInferenceTests
{
    private static string Longley => Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", "longley.csv");

    private const string LongleyX = "GNP.deflator,GNP,Unemployed,Armed.Forces,Population,Year";

    [Fact]
    public void Unconverged_gd_on_longley_has_null_inference_and_says_why()
    {
        var r = Lsq.Run("fit", Longley, "-y", "Employed", "-x", LongleyX, "-m", "gd", "--summary", "-f", "json");
        Assert.Equal(0, r.Code);
        var fit = JsonDocument.Parse(r.Out).RootElement;
        Assert.False(fit.GetProperty("converged").GetBoolean());
        foreach (var c in fit.GetProperty("coefficients").EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Number, c.GetProperty("estimate").ValueKind);
            foreach (var field in new[] { "std_error", "t", "p_value", "ci_low", "ci_high" })
            {
                Assert.Equal(JsonValueKind.Null, c.GetProperty(field).ValueKind);
            }
        }

        Assert.Equal(JsonValueKind.Null, fit.GetProperty("f_statistic").ValueKind);
        Assert.Equal(JsonValueKind.Null, fit.GetProperty("f_p_value").ValueKind);
        var warnings = fit.GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToArray();
        Assert.Contains(warnings, w => w.Contains("no standard errors, t, p, intervals or F", StringComparison.Ordinal)
            && w.Contains("did not converge", StringComparison.Ordinal));
        Assert.Contains("no standard errors, t, p, intervals or F", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unconverged_gd_table_shows_NA_where_inference_would_be()
    {
        var r = Lsq.Run("fit", Longley, "-y", "Employed", "-x", LongleyX, "-m", "gd", "--summary");
        Assert.Equal(0, r.Code);
        var row = r.Out.Split('\n').Single(l => l.StartsWith("GNP.deflator", StringComparison.Ordinal));
        Assert.Equal(5, row.Split(' ', StringSplitOptions.RemoveEmptyEntries).Count(cell => cell == "NA"));
        Assert.Contains("f_statistic         NA", r.Out, StringComparison.Ordinal);
        Assert.Contains("warning: no standard errors", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Unconverged_sgd_has_null_inference_too()
    {
        var r = Lsq.Run("fit", Longley, "-y", "Employed", "-x", LongleyX, "-m", "sgd", "--max-iter", "2", "--summary", "-f", "json");
        Assert.Equal(0, r.Code);
        var fit = JsonDocument.Parse(r.Out).RootElement;
        Assert.False(fit.GetProperty("converged").GetBoolean());
        Assert.All(fit.GetProperty("coefficients").EnumerateArray(), c => Assert.Equal(JsonValueKind.Null, c.GetProperty("std_error").ValueKind));
    }

    [Fact]
    public void Converged_gd_keeps_its_inference_and_has_no_such_warning()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "--summary", "-f", "json");
        Assert.Equal(0, r.Code);
        var fit = JsonDocument.Parse(r.Out).RootElement;
        Assert.True(fit.GetProperty("converged").GetBoolean());
        Assert.All(fit.GetProperty("coefficients").EnumerateArray(), c => Assert.Equal(JsonValueKind.Number, c.GetProperty("std_error").ValueKind));
        Assert.Equal(JsonValueKind.Number, fit.GetProperty("f_statistic").ValueKind);
        Assert.Empty(fit.GetProperty("warnings").EnumerateArray());
    }
}
