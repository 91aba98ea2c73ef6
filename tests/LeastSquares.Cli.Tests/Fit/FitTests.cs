using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq fit: the three output formats, the JSON schema, and how the model's columns are chosen.</summary>
public sealed class FitTests
{
    private static Lsq.Result Fit(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        return Lsq.Run(["fit", file, .. extra]);
    }

    [Theory]
    [InlineData("table", "fit-linear.txt")]
    [InlineData("json", "fit-linear.json")]
    [InlineData("csv", "fit-linear.csv")]
    public void Fit_sample_in_each_format(string format, string golden)
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "--format", format);
        Assert.Equal("", r.Err);
        Assert.Equal(0, r.Code);
        Golden.Match(golden, r.Out);
    }

    [Fact]
    public void Summary_table_and_csv()
    {
        var r = Lsq.Run("fit", Lsq.Sample("multi.csv"), "--summary");
        Assert.Equal(0, r.Code);
        Golden.Match("fit-multi-summary.txt", r.Out);
        var c = Lsq.Run("fit", Lsq.Sample("multi.csv"), "--summary", "-f", "csv");
        Golden.Match("fit-multi-summary.csv", c.Out);
    }

    [Fact]
    public void Json_follows_the_schema()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json", "--summary");
        using var doc = JsonDocument.Parse(r.Out);
        var root = doc.RootElement;
        Assert.Equal("normal", root.GetProperty("method").GetString());
        Assert.Equal("y", root.GetProperty("target").GetString());
        Assert.Equal(100, root.GetProperty("n").GetInt32());
        Assert.Equal(2, root.GetProperty("p").GetInt32());
        var coefficients = root.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(["(intercept)", "x"], coefficients.Select(c => c.GetProperty("term").GetString()));
        foreach (var field in new[] { "mse", "rmse", "r_squared", "adj_r_squared", "residual_std_error", "f_statistic", "aic", "bic", "condition_number" })
        {
            Assert.Equal(JsonValueKind.Number, root.GetProperty(field).ValueKind);
        }

        Assert.Equal(98, root.GetProperty("df_residual").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("iterations").ValueKind);
        Assert.True(root.GetProperty("converged").GetBoolean());
        double mse = root.GetProperty("mse").GetDouble();
        double rse = root.GetProperty("residual_std_error").GetDouble();
        Assert.Equal(mse * 100 / 98, rse * rse, 1e-12);
    }

    [Fact]
    public void Target_and_features_by_name_and_number()
    {
        var byName = Lsq.Run("fit", Lsq.Sample("multi.csv"), "-y", "y", "-x", "x3,x1", "-f", "csv");
        var byNumber = Lsq.Run("fit", Lsq.Sample("multi.csv"), "-y", "4", "-x", "3,1", "-f", "csv");
        Assert.Equal(0, byName.Code);
        Assert.Equal(byName.Out, byNumber.Out);
        Assert.StartsWith("term,estimate\n(intercept),", byName.Out, StringComparison.Ordinal);
        Assert.Contains("\nx3,", byName.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_header_names_are_fine_when_not_used()
    {
        // -x 1 takes the first 'x' (1, 2, 3) and the target is y (3, 5, 4): y = 3 + 0.5x, the fit
        // of the file without the second 'x' (2, 3, 5), which would give another line (slope 3/14).
        var r = Fit("x,x,y\n1,2,3\n2,3,5\n3,5,4\n", "-x", "1", "-f", "json");
        Assert.Equal((0, ""), (r.Code, r.Err));
        Assert.Equal(Fit("x,y\n1,3\n2,5\n3,4\n", "-f", "json").Out, r.Out);
        using var json = JsonDocument.Parse(r.Out);
        var coefficients = json.RootElement.GetProperty("coefficients");
        Assert.Equal(3, json.RootElement.GetProperty("n").GetInt32());
        Assert.Equal("x", coefficients[1].GetProperty("term").GetString());
        Assert.Equal(3, coefficients[0].GetProperty("estimate").GetDouble(), 1e-12);
        Assert.Equal(0.5, coefficients[1].GetProperty("estimate").GetDouble(), 1e-12);
    }

    [Fact]
    public void An_empty_header_name_is_fine_when_the_model_does_not_use_that_column()
    {
        var r = Fit("x,y,\n1,2,\n2,3,\n3,5,\n", "-x", "x", "-y", "y", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.Contains("\"target\":\"y\"", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_skip_leaves_the_row_out_and_says_so()
    {
        var r = Fit("x,y\n1,2\n2,\n3,7\n4,9\n", "--missing", "skip", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("skipped 1 row", r.Err, StringComparison.Ordinal);
        Assert.Contains("\"n\":3,", r.Out, StringComparison.Ordinal);
        Assert.Contains("\"skipped_rows\":1", r.Out, StringComparison.Ordinal);
    }
}
