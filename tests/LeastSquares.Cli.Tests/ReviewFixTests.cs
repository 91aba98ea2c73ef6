using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>Cases found by an independent review of lsq as a user, each kept true here.</summary>
public sealed class ReviewFixTests
{
    [Fact]
    public void Predict_keeps_blank_lines_so_output_stays_aligned()
    {
        var r = Lsq.RunWithInput("x\n1\n\n2\n", "predict", "--model", Lsq.Sample("linear-model.json"), "--only");
        Assert.Equal(0, r.Code);
        var lines = r.Out.Split('\n');
        Assert.Equal("prediction", lines[0]);
        Assert.NotEqual("", lines[1]);
        Assert.Equal("", lines[2]);
        Assert.NotEqual("", lines[3]);
    }

    [Fact]
    public void Fit_ignores_blank_lines()
    {
        var with = Lsq.RunWithInput("x,y\n1,2\n\n2,3\n3,5\n\n", "fit", "-f", "json");
        var without = Lsq.RunWithInput("x,y\n1,2\n2,3\n3,5\n", "fit", "-f", "json");
        Assert.Equal(0, with.Code);
        Assert.Equal(without.Out, with.Out);
    }

    [Theory]
    [InlineData("inf")]
    [InlineData("-Inf")]
    [InlineData("nan")]
    public void Other_spellings_of_infinity_and_nan_are_called_non_finite(string text)
    {
        var r = Lsq.RunWithInput($"x,y\n1,2\n2,{text}\n3,5\n", "fit");
        Assert.Equal(2, r.Code);
        Assert.Contains("which is not a finite number", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Large_numbers_in_json_carry_an_exponent()
    {
        // y in the 1e17 range: the intercept and its standard error are large whole doubles.
        var csv = "x,y\n" + string.Join("\n", Enumerable.Range(1, 20).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{i},{1e17 + (i * 3e15) + (i % 3 * 1e15)}"))) + "\n";
        var r = Lsq.RunWithInput(csv, "fit", "-f", "json");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        var estimate = doc.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetRawText();
        Assert.Contains("e", estimate, StringComparison.Ordinal);
        Assert.Equal(doc.RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(),
            double.Parse(estimate, CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(1e15, "1e+15")]
    [InlineData(-18874853397748370, "-1.887485339774837e+16")]
    [InlineData(123456789012345680000.0, "1.2345678901234568e+20")]
    [InlineData(999999999999999, "999999999999999")]
    public void Round_trip_text_of_large_integral_doubles(double value, string expected)
    {
        Assert.Equal(expected, LeastSquares.Cli.Output.Numbers.RoundTrip(value));
        Assert.Equal(value, double.Parse(expected, CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Zero_over_zero_t_is_undefined_not_nan()
    {
        var r = Lsq.RunWithInput("x,y\n1,4\n2,4\n3,4\n5,4\n", "fit", "--summary");
        Assert.Equal(0, r.Code);
        Assert.DoesNotContain("NaN", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void No_intercept_polynomial_far_from_zero_explains_itself()
    {
        var csv = "x,y\n" + string.Join("\n", Enumerable.Range(0, 30).Select(i =>
            string.Create(CultureInfo.InvariantCulture, $"{1e8 + (i / 3.0)},{i * 2.5}"))) + "\n";
        var r = Lsq.RunWithInput(csv, "fit", "--degree", "3", "--no-intercept");
        if (r.Code == 0)
        {
            return; // solvable after all: nothing to explain
        }

        Assert.Equal(3, r.Code);
        Assert.Contains("numerically collinear", r.Err, StringComparison.Ordinal);
        Assert.Contains("fewer than 3 distinct values", r.Err, StringComparison.Ordinal);
        Assert.Contains("keep the intercept", r.Err, StringComparison.Ordinal);
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

    [SkippableFact]
    public void Ctrl_c_while_waiting_on_standard_input_exits_130_without_output()
    {
        var binary = Path.Combine(AppContext.BaseDirectory, "lsq");
        Skip.IfNot(File.Exists(binary), "the lsq apphost is not in the test folder");
        using var dir = new TempDir();
        var output = Path.Combine(dir.Path, "fit.txt");
        var start = new ProcessStartInfo(binary) { RedirectStandardInput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "fit", "-o", output })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Write("x,y\n1,2\n2,3\n3,5\n");
        process.StandardInput.Flush(); // and keep the pipe open, as a slow producer would
        Thread.Sleep(1000);
        using (var kill = Process.Start("kill", ["-INT", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }

        if (!process.WaitForExit(10_000))
        {
            process.Kill();
            Skip.If(true, "SIGINT did not reach lsq (ignored in this environment).");
        }

        Assert.Equal(130, process.ExitCode);
        Assert.False(File.Exists(output));
    }
}
