namespace LeastSquares.Cli.Tests;

/// <summary>
/// Exit 1, the command line: a mistake is one line naming the option or value (and, from the
/// parser, a second line pointing to --help), never taken for something else and never a trace.
/// </summary>
public sealed class CommandLineErrorTests
{
    [Theory]
    [InlineData("fit --bogus {file}", "unknown option '--bogus'.", "fit")]
    [InlineData("fit {file} --bogus", "unknown option '--bogus'.", "fit")]
    [InlineData("fit -f yaml --bogus {file}", "unknown option '--bogus'.", "fit")]
    [InlineData("fit {file} -f yaml", "-f 'yaml': unknown value; use one of: csv, json, table, tsv.", "fit")]
    [InlineData("fit {file} --format=yaml", "--format 'yaml': unknown value; use one of: csv, json, table, tsv.", "fit")]
    [InlineData("fit {file} --method foo", "--method 'foo': unknown value; use one of: gd, normal, qr, sgd.", "fit")]
    [InlineData("fit {file} -f", "-f needs a value; use one of: csv, json, table, tsv.", "fit")]
    [InlineData("fit {file} -y", "-y needs a value (NAME).", "fit")]
    [InlineData("fit {file} -f json -f csv", "-f is given more than once ('json', 'csv'); give it once.", "fit")]
    [InlineData("predict {file} {file} --model m.json", "unexpected argument '{file}': lsq predict reads one input file.", "predict")] // fit reads several (docs/inputs.md)
    [InlineData("fitt {file}", "unknown command 'fitt'. Did you mean 'fit'? The commands are: fit, predict, merge, plot, anova.", null)]
    [InlineData("fti {file}", "unknown command 'fti'. Did you mean 'fit'? The commands are: fit, predict, merge, plot, anova.", null)]
    [InlineData("fit {file} --summry", "unknown option '--summry'. Did you mean '--summary'?", "fit")]
    [InlineData("fit {file} --formt=csv", "unknown option '--formt=csv'. Did you mean '--format'?", "fit")]
    [InlineData("predict --model m.json {file} --intervl confidence", "unknown option '--intervl'. Did you mean '--interval'?", "predict")]
    [InlineData("fit {file} -m nromal", "-m 'nromal': unknown value; did you mean 'normal'? Use one of: gd, normal, qr, sgd.", "fit")]
    [InlineData("fit {file} --zzzzzz", "unknown option '--zzzzzz'.", "fit")] // nothing close: no guess
    [InlineData("predict {file}", "--model is required: give --model FILE.", "predict")]
    [InlineData("fit {file} -m --summary", "-m needs a value; use one of: gd, normal, qr, sgd. ('--summary' after it is an option, not its value.)", "fit")]
    [InlineData("fit {file} --scale --no-intercept -m gd", "--scale needs a value; use one of: none, standard. ('--no-intercept' after it is an option, not its value.)", "fit")]
    [InlineData("fit {file} -o -q", "-o needs a value (FILE). ('-q' after it is an option, not its value.)", "fit")]
    public void A_command_line_mistake_is_one_line_naming_the_option_or_value(string line, string expected, string? command)
    {
        var file = Lsq.Sample("linear.csv");
        var r = Lsq.Run(line.Replace("{file}", file, StringComparison.Ordinal).Split(' '));
        var help = command is null ? "lsq" : "lsq " + command;
        Expect.Error(r, 1, "command-line/" + Expect.Slug(line),
            $"lsq: error: {expected.Replace("{file}", file, StringComparison.Ordinal)}\nlsq: run '{help} --help' for the usage.\n");
    }

    [Theory]
    [InlineData("1")]
    [InlineData("1.5")]
    [InlineData("95")]
    [InlineData("0")]
    [InlineData("-0.1")]
    public void A_confidence_level_outside_0_1(string level) =>
        Expect.Error(Lsq.Run("fit", Lsq.Sample("linear.csv"), "--summary", "--level", level), 1, "command-line/level-" + Expect.Slug(level), "--level", level);

    [Fact]
    public void Delimiter_of_more_than_one_character()
    {
        using var dir = new TempDir();
        Expect.Error(Lsq.Run("fit", dir.File("data.csv", "x,y\n1,2\n"), "--delimiter", "ab"), 1, "command-line/bad-delimiter", "--delimiter 'ab'");
    }

    [Fact]
    public void No_command() =>
        Expect.Error(Lsq.Run(), 1, "command-line/no-command", "no command given");

    [Theory]
    [InlineData("--degree", "2.5")]
    [InlineData("--degree", "99999999999")]
    [InlineData("--max-iter", "abc")]
    [InlineData("--max-iter", "1e3")]
    [InlineData("--batch-size", "1.5")]
    [InlineData("--alpha", "abc")]
    [InlineData("--alpha", "0")]
    [InlineData("--alpha", "-1")]
    [InlineData("--tol", "abc")]
    [InlineData("--tol", "-1")]
    [InlineData("--seed", "x")]
    [InlineData("--decay", "-1")]
    public void Bad_numbers_are_usage_errors(string option, string value)
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "sgd", option, value);
        Expect.Error(r, 1, "command-line/bad-number-" + Expect.Slug(option + " " + value), $"lsq: error: {option} '{value}': give a ");
        Assert.DoesNotContain("System.", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("normal", "--alpha", "0.1")]
    [InlineData("normal", "--optimizer", "adam")]
    [InlineData("qr", "--max-iter", "5")]
    [InlineData("normal", "--trace", "t.csv")]
    [InlineData("gd", "--batch-size", "8")]
    [InlineData("gd", "--seed", "3")]
    public void Options_the_method_would_ignore_are_refused(string method, string option, string value) =>
        Expect.Error(Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", method, option, value), 1, $"command-line/ignored-{Expect.Slug(option)}-with-{method}",
            $"{option} ", "no effect with --method " + method);

    [Fact]
    public void Init_needs_an_iterative_method() =>
        Expect.Error(Lsq.Run("fit", Lsq.Sample("linear.csv"), "--init", Lsq.Sample("linear-model.json")), 1, "command-line/init-with-normal", "--init");

    [Theory]
    [InlineData("--method", "gd")]
    [InlineData("--format", "json")]
    [InlineData("--summary", null)]
    public void Solve_options_are_refused_with_partial(string option, string? value)
    {
        string[] extra = value is null ? [option] : [option, value];
        Expect.Error(Lsq.Run(["fit", Lsq.Sample("linear.csv"), "--partial", .. extra]), 1, "command-line/fit-partial-" + Expect.Slug(option),
            $"lsq: error: {option} has no effect with --partial, which writes the state to merge instead of a fit. Give {option} to 'lsq merge', which solves.\n");
        Expect.Error(Lsq.RunWithInput(MergeErrorTests.Good, ["merge", "--partial", .. extra]), 1, "command-line/merge-partial-" + Expect.Slug(option), option);
    }

    [Theory]
    [InlineData("qr")]
    [InlineData("sgd")]
    public void Merge_offers_only_methods_that_work_on_moments(string method) =>
        Expect.Error(Lsq.Run("merge", Lsq.Sample("linear-1.partial"), "-m", method), 1, "command-line/merge-method-" + method, method);

    [Fact]
    public void Standard_input_twice_is_a_usage_error() =>
        Expect.Error(Lsq.Run("merge", "-", "-"), 1, "command-line/merge-stdin-twice",
            "lsq: error: '-' (standard input) is given more than once; it can be read only once.\n");

    [Theory]
    [InlineData("-o")]
    [InlineData("--save")]
    [InlineData("--trace")]
    public void An_empty_file_name_is_a_usage_error_naming_the_option(string option)
    {
        // -o "$OUT" with OUT unset: said before anything is read, not an internal error.
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "gd", option, "");
        Expect.Error(r, 1, "command-line/empty-file-name-" + option.TrimStart('-'), option + " '' is an empty file name");
    }

    [Fact]
    public void A_number_among_the_na_values_is_refused_rather_than_fitted_as_data() =>
        Expect.Error(Lsq.Run("fit", Lsq.Sample("linear.csv"), "--na-values", "NA,-999"), 1, "command-line/numeric-na-value",
            "--na-values '-999'", "fitted as data");
}
