using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

public sealed class FitCommandTests
{
    [Fact]
    public void Root_help_lists_commands_and_exit_codes()
    {
        var r = Lsq.Run("--help");
        Assert.Equal(0, r.Code);
        Golden.Match("help-root.txt", r.Out);
    }

    [Fact]
    public void Fit_help_is_stable()
    {
        var r = Lsq.Run("fit", "--help");
        Assert.Equal(0, r.Code);
        Golden.Match("help-fit.txt", r.Out);
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var r = Lsq.Run("--version");
        Assert.Equal(0, r.Code);
        Assert.Matches(@"^lsq \d+\.\d+\.\d+", r.Out);
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
    public void Standard_input_with_dash_or_no_file()
    {
        var csv = File.ReadAllText(Lsq.Sample("linear.csv"));
        var fromFile = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json");
        var dash = Lsq.RunWithInput(csv, "fit", "-", "-f", "json");
        var none = Lsq.RunWithInput(csv, "fit", "--format", "json");
        Assert.Equal(0, dash.Code);
        Assert.Equal(fromFile.Out, dash.Out);
        Assert.Equal(fromFile.Out, none.Out);
    }

    [Fact]
    public void Gradient_descent_agrees_with_normal_to_8_digits()
    {
        var normal = JsonDocument.Parse(Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json").Out).RootElement;
        var gd = JsonDocument.Parse(Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json", "--method", "gd").Out).RootElement;
        Assert.Equal("gd", gd.GetProperty("method").GetString());
        Assert.True(gd.GetProperty("converged").GetBoolean());
        var a = normal.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        var b = gd.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        for (int j = 0; j < a.Length; j++)
        {
            Assert.True(Math.Abs(a[j] - b[j]) <= 1e-8 * Math.Abs(a[j]), $"{a[j]} vs {b[j]}");
        }
    }

    [Fact]
    public void Textbook_gd_that_hits_max_iter_warns_and_exits_0()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "--method", "gd", "--alpha", "0.01", "--max-iter", "100", "--scale", "none", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.StartsWith("lsq: warning: gradient descent did not converge in 100 iterations", r.Err, StringComparison.Ordinal);
        var root = JsonDocument.Parse(r.Out).RootElement;
        Assert.False(root.GetProperty("converged").GetBoolean());
        Assert.Equal(100, root.GetProperty("iterations").GetInt32());
    }

    [Fact]
    public void Strict_turns_non_convergence_into_exit_3()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "10", "--scale", "none", "--strict");
        Assert.Equal(3, r.Code);
        Assert.Equal("", r.Out);
    }

    [Fact]
    public void Diverging_gd_exits_3_with_the_stable_rate()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "2", "--scale", "none");
        Assert.Equal(3, r.Code);
        Assert.Matches(@"lsq: error: gradient descent diverged .* the largest stable rate .* is 0\.\d+", r.Err);
    }

    [Fact]
    public void Quiet_silences_warnings_only()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "5", "--scale", "none", "-q");
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.NotEqual("", r.Out);
    }

    [Fact]
    public void Output_file_receives_the_results()
    {
        using var dir = new TempDir();
        var target = Path.Combine(dir.Path, "fit.json");
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json", "-o", target);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal(Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", "json").Out, File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(dir.Path));
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
    public void Output_is_invariant_under_a_german_culture()
    {
        var before = CultureInfo.CurrentCulture;
        try
        {
            var invariant = Lsq.Run("fit", Lsq.Sample("multi.csv"), "--summary");
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            CultureInfo.CurrentUICulture = new CultureInfo("de-DE");
            var german = Lsq.Run("fit", Lsq.Sample("multi.csv"), "--summary");
            Assert.Equal(invariant.Out, german.Out);
            Assert.DoesNotContain("0,", german.Out, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = before;
            CultureInfo.CurrentUICulture = before;
        }
    }
}

public sealed class StochasticFitCommandTests
{
    [Fact]
    public void Sgd_with_the_same_seed_prints_the_same_result()
    {
        var a = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "sgd", "--seed", "5", "-f", "csv", "-q");
        var b = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "sgd", "--seed", "5", "-f", "csv", "-q");
        var c = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "sgd", "--seed", "6", "-f", "csv", "-q");
        Assert.Equal(0, a.Code);
        Assert.Equal(a.Out, b.Out);
        Assert.NotEqual(a.Out, c.Out);
    }

    [Fact]
    public void Trace_file_has_one_row_per_iteration()
    {
        using var dir = new TempDir();
        var trace = Path.Combine(dir.Path, "trace.csv");
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "--scale", "none", "-a", "0.01", "--max-iter", "50", "--trace", trace, "-q");
        Assert.Equal(0, r.Code);
        var lines = File.ReadAllLines(trace);
        Assert.Equal("iteration,loss,gradient_norm,step", lines[0]);
        Assert.Equal(52, lines.Length); // header, iterate 0, then 50 iterations
        var losses = lines.Skip(1).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses.Zip(losses.Skip(1), (p, n) => n <= p).All(x => x), "plain gd below the stability limit lowers the loss every step");
    }
}
