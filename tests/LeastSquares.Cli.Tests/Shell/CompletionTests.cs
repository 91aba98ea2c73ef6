namespace LeastSquares.Cli.Tests;

/// <summary>Shell completion: the [suggest] directive in-process, and the committed bash script against the built lsq.</summary>
public sealed class CompletionTests
{
    [Theory]
    [InlineData("[suggest:1]", "f", "fit\n")]
    [InlineData("[suggest:0]", "", "--help\n--version\n-?\n-h\n/?\n/h\nanova\nfit\nmerge\nplot\npredict\n")]
    [InlineData("[suggest:7]", "fit --f", "--features\n--fold-column\n--folds\n--format\n--formula\n")]
    [InlineData("[suggest:8]", "fit --sa", "--save\n")]
    [InlineData("[suggest:13]", "fit --method ", "gd\nnormal\nqr\nsgd\n")]
    [InlineData("[suggest:16]", "fit --format csv", "csv\n")]
    [InlineData("[suggest:14]", "fit --format=j", "json\n")]
    [InlineData("[suggest:20]", "fit -m qr --method=n", "normal\n")]
    [InlineData("[suggest:11]", "predict --o", "--only\n--output\n")]
    [InlineData("[suggest:10]", "predict --", "--decimal\n--delimiter\n--diagnostics\n--help\n--interval\n--level\n--missing\n--model\n--no-header\n--only\n--output\n--quiet\n")]
    public void Suggest_directive_completes_commands_options_and_values(string directive, string line, string expected)
    {
        var r = Lsq.Run(directive, line);
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.Equal(expected, r.Out);
    }

    [SkippableFact]
    public void Completion_script_offers_predict_options()
    {
        Skip.If(OperatingSystem.IsWindows(), "needs bash");
        // Load the committed script with lsq on PATH, then complete "lsq predict --o" as bash would.
        var script = """
            d=$(mktemp -d) && ln -s "$LSQ" "$d/lsq" && PATH="$d:$PATH" &&
            source completions/lsq.bash &&
            COMP_LINE='lsq predict --o' COMP_POINT=15 COMP_WORDS=(lsq predict --o) COMP_CWORD=2 &&
            _lsq_complete && printf '%s\n' "${COMPREPLY[@]}"; rm -r "$d"
            """;
        var (code, output, err) = Shell.Bash(script);
        Assert.Equal("", err);
        Assert.Equal(0, code);
        Assert.Equal("--only\n--output\n", output);
    }
}
