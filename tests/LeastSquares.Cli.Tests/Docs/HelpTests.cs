namespace LeastSquares.Cli.Tests;

/// <summary>--help of lsq and of each command, as golden files, and --version.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("help-root.txt")]
    [InlineData("help-fit.txt", "fit")]
    [InlineData("help-predict.txt", "predict")]
    [InlineData("help-merge.txt", "merge")]
    [InlineData("help-plot.txt", "plot")]
    public void Help_is_stable(string golden, params string[] command)
    {
        var r = Lsq.Run([.. command, "--help"]);
        Assert.Equal((0, ""), (r.Code, r.Err));
        Golden.Match(golden, r.Out);
    }

    [Fact]
    public void Predict_help_has_the_exit_codes_it_can_return()
    {
        var r = Lsq.Run("predict", "--help");
        Assert.Contains("Exit codes:\n  0    success", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("numerical", r.Out, StringComparison.Ordinal); // predict never exits 3
    }

    [Fact]
    public void Version_prints_the_version()
    {
        var r = Lsq.Run("--version");
        Assert.Equal(0, r.Code);
        Assert.Matches(@"^lsq \d+\.\d+\.\d+", r.Out);
    }
}
