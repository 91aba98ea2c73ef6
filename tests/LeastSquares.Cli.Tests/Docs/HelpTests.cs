namespace LeastSquares.Cli.Tests;

/// <summary>--help of lsq and of each command, as golden files, and --version; each command's help describes that command only and ends with examples of it.</summary>
public sealed class HelpTests
{
    [Theory]
    [InlineData("help-root.txt")]
    [InlineData("help-fit.txt", "fit")]
    [InlineData("help-predict.txt", "predict")]
    [InlineData("help-merge.txt", "merge")]
    [InlineData("help-plot.txt", "plot")]
    [InlineData("help-anova.txt", "anova")]
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

    [Fact]
    public void Merge_help_speaks_of_no_option_or_failure_merge_lacks()
    {
        // Before: --batch-size, --seed and "epoch limit for sgd", which merge refuses, and "unknown column".
        var help = Lsq.Run("merge", "--help").Out;
        // (--seed is back since, as the seed of --lambda auto's folds; without a penalty it is refused.)
        foreach (var stale in new[] { "--batch-size", "sgd", "unknown column", "malformed CSV" })
        {
            Assert.DoesNotContain(stale, help, StringComparison.Ordinal);
        }

        Assert.Equal(1, Lsq.Run("merge", Lsq.Sample("linear-1.partial"), "--batch-size", "8").Code);
        Assert.Equal(1, Lsq.Run("merge", Lsq.Sample("linear-1.partial"), "--seed", "8").Code);
    }

    [Fact]
    public void Plot_help_does_not_mention_strict() =>
        // Before: the exit codes said "with --strict, gd did not converge"; plot has no --strict.
        Assert.DoesNotContain("--strict", Lsq.Run("plot", "--help").Out, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(ManPageAndCompletionTests.Commands), MemberType = typeof(ManPageAndCompletionTests))]
    public void Help_ends_with_two_to_four_examples_of_the_command_using_its_options(string command)
    {
        var help = Lsq.Run(command, "--help").Out;
        int at = help.IndexOf("\nExamples:\n", StringComparison.Ordinal);
        Assert.True(at > 0, $"lsq {command} --help has no Examples section");
        var examples = help[(at + 11)..].TrimEnd('\n').Split('\n');
        Assert.InRange(examples.Length, 2, 4);
        var options = ManPageAndCompletionTests.OptionsFromHelp(command).ToHashSet(StringComparer.Ordinal);
        foreach (var example in examples)
        {
            var code = example.Split('#')[0].Trim();
            Assert.Contains($"lsq {command}", code, StringComparison.Ordinal);
            var words = code[(code.IndexOf($"lsq {command}", StringComparison.Ordinal) + 5 + command.Length)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var word in words.TakeWhile(w => w is not ("|" or ">" or "&&")).Where(w => w.StartsWith('-') && w.Length > 1))
            {
                Assert.True(options.Contains(word), $"lsq {command} --help: the example '{example.Trim()}' uses {word}, which lsq {command} does not have");
            }
        }
    }
}
