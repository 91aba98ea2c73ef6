namespace LeastSquares.Cli.Tests;

/// <summary>The built lsq executable in real shell pipes, run by bash in the repository folder.</summary>
public sealed class BinaryTests
{
    [SkippableFact]
    public void Predict_into_head_is_not_an_error_and_stops_early()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs bash");
        using var dir = new TempDir();
        // 2,000,000 rows (~30 MB): if lsq did not notice the closed pipe it would read them all.
        var script = $"""
            cd {dir.Path} && printf 'x,y\n' > big.csv && seq 1 2000000 | sed 's/$/,1/' >> big.csv &&
            "$LSQ" fit {Lsq.Sample("linear.csv")} --save m.json > /dev/null &&
            start=$(date +%s%N);
            "$LSQ" predict --model m.json big.csv | head -2; codes="${"{"}PIPESTATUS[*]{"}"}";
            echo "codes $codes ms $(( ($(date +%s%N) - start) / 1000000 ))"
            """;
        var (code, output, err) = Shell.Bash(script);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("x,y,prediction", lines[0]);
        Assert.StartsWith("1,1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("codes 0 0 ms ", lines[2], StringComparison.Ordinal);
    }

    [SkippableFact]
    public void Cat_into_fit_json_into_another_program()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs bash");
        var (code, output, err) = Shell.Bash("cat samples/multi.csv | \"$LSQ\" fit - --format json | head -c 40");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Equal("{\"method\":\"normal\",\"target\":\"y\",\"n\":200,", output);
    }

    [SkippableFact]
    public void Fit_save_then_predict_from_standard_input_and_errors_on_stderr()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs bash");
        using var dir = new TempDir();
        var (code, output, err) = Shell.Bash(
            $"\"$LSQ\" fit samples/linear.csv --save {dir.Path}/m.json >/dev/null && head -3 samples/linear.csv | \"$LSQ\" predict --model {dir.Path}/m.json --only");
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Equal(3, output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        var bad = Shell.Bash("\"$LSQ\" fit samples/bad.csv");
        Expect.Error(bad.Code, bad.Out, bad.Err, 2, "shell/bad-sample", "lsq: error: samples/bad.csv:4:2:");
    }
}
