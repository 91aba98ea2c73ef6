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

    [SkippableFact]
    public void After_a_double_dash_a_file_name_starting_with_a_dash_is_a_file()
    {
        // POSIX: every argument after "--" is an operand, so `lsq fit -- "$f"` is safe for any name.
        Shell.SkipUnlessUnixWithBinary();
        using var dir = new TempDir();
        var (code, output, err) = Shell.Bash($$"""
            cd {{dir.Path}} && printf 'x,y\n1,2.1\n2,3.9\n3,6.2\n4,7.8\n' > ./-data.csv &&
            "$LSQ" fit -f csv -- -data.csv && "$LSQ" fit -f csv -- -data.csv 'y ~ x' && { "$LSQ" fit -data.csv; echo "exit $?"; }
            """);
        Assert.Equal(0, code);
        Assert.Equal(2, output.Split("x,1.94").Length - 1);
        Assert.EndsWith("exit 1\n", output, StringComparison.Ordinal);
        Assert.Contains("unknown option '-data.csv'", err, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void A_closed_or_full_standard_error_costs_the_messages_only()
    {
        // Diagnostics are best effort: 2>&- or 2>/dev/full must not abort the run or change its exit code.
        Shell.SkipUnlessUnixWithBinary(devFull: true);
        var (code, output, _) = Shell.Bash("""
            "$LSQ" fit no-such-file.csv 2>&-; echo "missing $?"
            "$LSQ" fit samples/linear.csv -m gd --alpha 0.01 --max-iter 3 --scale none -f csv 2>&- | head -1; echo "warned ${PIPESTATUS[0]}"
            "$LSQ" fit samples/linear.csv -m gd --alpha 0.01 --max-iter 3 --scale none -f csv 2>/dev/full | head -1; echo "full ${PIPESTATUS[0]}"
            """);
        Assert.Equal(0, code);
        Assert.Equal("missing 2\nterm,estimate\nwarned 0\nterm,estimate\nfull 0\n", output);
    }

    [SkippableFact]
    public void A_pipe_given_by_name_is_read_once_whole()
    {
        // Process substitution and /dev/stdin on a pipe can be read only once; the result equals the file's.
        Shell.SkipUnlessUnixWithBinary();
        var (code, output, err) = Shell.Bash("""
            a=$("$LSQ" fit samples/linear.csv -f csv)
            b=$("$LSQ" fit <(cat samples/linear.csv) -f csv)
            c=$(cat samples/linear.csv | "$LSQ" fit /dev/stdin -f csv)
            [ "$a" = "$b" ] && [ "$a" = "$c" ] && echo same
            "$LSQ" fit samples/linear.csv --save m.tmp.json -q >/dev/null && "$LSQ" predict --model <(cat m.tmp.json) <(cat samples/linear.csv) --only | wc -l; rm -f m.tmp.json
            """);
        Assert.True(code == 0, err);
        var lines = output.Split('\n');
        Assert.Equal("same", lines[0]);
        Assert.Equal(File.ReadAllLines(Lsq.Sample("linear.csv")).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), lines[1].Trim());
    }

    [SkippableFact]
    public void A_dash_as_output_is_standard_output()
    {
        Shell.SkipUnlessUnixWithBinary();
        var (code, output, err) = Shell.Bash("""
            "$LSQ" fit samples/linear.csv -f csv -o - | head -1; ls ./- 2>/dev/null || echo "no file named -"
            """);
        Assert.True(code == 0, err);
        Assert.Equal("term,estimate\nno file named -\n", output);
    }
}
