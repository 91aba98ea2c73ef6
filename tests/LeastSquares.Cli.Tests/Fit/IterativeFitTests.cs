using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq fit with gd and sgd: agreement with the closed form, the convergence warning, -q, seeds and the trace file.</summary>
public sealed class IterativeFitTests
{
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
    public void Quiet_silences_warnings_only()
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", "-a", "0.01", "--max-iter", "5", "--scale", "none", "-q");
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.NotEqual("", r.Out);
    }

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
        var losses = lines.Skip(1).Select(l => double.Parse(l.Split(',')[1], CultureInfo.InvariantCulture)).ToArray();
        Assert.True(losses.Zip(losses.Skip(1), (p, n) => n <= p).All(x => x), "plain gd below the stability limit lowers the loss every step");
    }

    [Fact]
    public void Sgd_trace_starts_at_epoch_0_like_gd()
    {
        using var dir = new TempDir();
        var trace = Path.Combine(dir.Path, "t.csv");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "sgd", "--max-iter", "5", "--trace", trace, "-q").Code);
        var lines = File.ReadAllLines(trace);
        Assert.StartsWith("0,", lines[1], StringComparison.Ordinal);
        Assert.Equal(7, lines.Length);
    }
}
