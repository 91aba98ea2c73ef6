using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>--init (warm start from a saved model) and the progress line of long iterative runs.</summary>
public sealed class WarmStartTests
{
    private static JsonElement Json(Lsq.Result r)
    {
        Assert.True(r.Code == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [Fact]
    public void A_warm_start_continues_where_a_short_run_stopped()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        string[] textbook = ["fit", Lsq.Sample("linear.csv"), "-m", "gd", "--scale", "none", "-a", "0.01", "-f", "json", "-q"];

        // 50 iterations, saved, then 50 more from there, equal 100 iterations in one go.
        Json(Lsq.Run([.. textbook, "--max-iter", "50", "--save", model]));
        var resumed = Json(Lsq.Run([.. textbook, "--max-iter", "50", "--init", model]));
        var straight = Json(Lsq.Run([.. textbook, "--max-iter", "100"]));
        var a = resumed.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        var b = straight.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble()).ToArray();
        for (int j = 0; j < 2; j++)
        {
            Assert.Equal(b[j], a[j], 1e-11);
        }
    }

    [Fact]
    public void Starting_at_the_answer_converges_at_once()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("multi.csv"), "--save", model, "-q").Code);
        var warm = Json(Lsq.Run("fit", Lsq.Sample("multi.csv"), "-m", "gd", "--init", model, "-f", "json"));
        Assert.True(warm.GetProperty("converged").GetBoolean());
        Assert.Equal(0, warm.GetProperty("iterations").GetInt32());
    }

    [Fact]
    public void Progress_line_is_drawn_on_a_terminal_and_erased()
    {
        var stdout = new StringWriter(CultureInfo.InvariantCulture);
        var stderr = new StringWriter(CultureInfo.InvariantCulture);
        var context = new CliContext(stdout, stderr, () => Stream.Null) { StderrIsTerminal = true };
        int code = LsqApp.Run(["fit", Lsq.Sample("multi.csv"), "-m", "gd", "--tol", "0", "--max-iter", "3000", "-a", "1e-9", "--scale", "none"], context);
        Assert.Equal(0, code);
        var err = stderr.ToString();
        Assert.Contains("\rlsq: gd iteration 1024 of at most 3000, loss ", err, StringComparison.Ordinal);
        Assert.Contains("\r\u001b[K", err, StringComparison.Ordinal);
        Assert.DoesNotContain("lsq:", stdout.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void No_progress_line_when_stderr_is_not_a_terminal()
    {
        var r = Lsq.Run("fit", Lsq.Sample("multi.csv"), "-m", "gd", "--tol", "0", "--max-iter", "3000", "-a", "1e-9", "--scale", "none", "-q");
        Assert.Equal("", r.Err);
    }
}
