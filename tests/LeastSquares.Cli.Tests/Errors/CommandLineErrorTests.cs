namespace LeastSquares.Cli.Tests;

/// <summary>Mistakes that must be named for what they are, in one line, not taken for something else.</summary>
public sealed class MessageTests
{
    [Fact]
    public void A_trailing_separator_in_the_header_is_named_not_taken_for_an_empty_target()
    {
        using var dir = new TempDir();
        var file = dir.File("t.csv", "x,y,\n1,2,\n2,3,\n3,5,\n");
        var r = Lsq.Run("fit", file);
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Equal(
            $"lsq: error: {file}:1:3: the header has an empty column name at column 3 (the header line ends with a separator, so lsq sees an extra column). Remove the trailing separator, name the column, or choose the columns with -x and -y (here: -x x -y y).\n",
            r.Err);
    }

    [Fact]
    public void An_empty_header_name_is_fine_when_the_model_does_not_use_that_column()
    {
        using var dir = new TempDir();
        var file = dir.File("t.csv", "x,y,\n1,2,\n2,3,\n3,5,\n");
        var r = Lsq.Run("fit", file, "-x", "x", "-y", "y", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Equal("", r.Err);
        Assert.Contains("\"target\":\"y\"", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("x,,y\n1,2,3\n2,2,5\n3,1,7\n", new string[0], "2: the header has an empty column name at column 2. Name the column in the header, or choose the columns with -x and -y (here: -x x -y y).")]
    [InlineData("x,,y\n1,2,3\n2,2,5\n3,1,7\n", new[] { "-y", "y" }, "2: the header has an empty column name at column 2.")]
    [InlineData("a b,y,\n1,2,\n2,3,\n3,5,\n", new[] { "-y", "3" }, "3: the header has an empty column name at column 3 (the header line ends with a separator, so lsq sees an extra column). Remove the trailing separator, name the column, or choose the columns with -x and -y (here: -x 'a b' -y y).")]
    public void An_empty_header_name_used_as_a_predictor_or_chosen_by_number_is_named(string csv, string[] options, string expected)
    {
        using var dir = new TempDir();
        var file = dir.File("t.csv", csv);
        var r = Lsq.Run(["fit", file, .. options]);
        Assert.Equal(2, r.Code);
        Assert.StartsWith($"lsq: error: {file}:1:{expected}", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fit --bogus {file}", "unknown option '--bogus'.", "fit")]
    [InlineData("fit {file} --bogus", "unknown option '--bogus'.", "fit")]
    [InlineData("fit -f yaml --bogus {file}", "unknown option '--bogus'.", "fit")]
    [InlineData("fit {file} -f yaml", "-f 'yaml': unknown value; use one of: csv, json, table.", "fit")]
    [InlineData("fit {file} --format=yaml", "--format 'yaml': unknown value; use one of: csv, json, table.", "fit")]
    [InlineData("fit {file} --method foo", "--method 'foo': unknown value; use one of: gd, normal, qr, sgd.", "fit")]
    [InlineData("fit {file} -f", "-f needs a value; use one of: csv, json, table.", "fit")]
    [InlineData("fit {file} -y", "-y needs a value (NAME).", "fit")]
    [InlineData("fit {file} -f json -f csv", "-f is given more than once ('json', 'csv'); give it once.", "fit")]
    [InlineData("fit {file} {file}", "unexpected argument '{file}': lsq fit reads one input file.", "fit")]
    [InlineData("fitt {file}", "unknown command 'fitt'. The commands are: fit, predict, merge, plot.", null)]
    [InlineData("predict {file}", "--model is required: give --model FILE.", "predict")]
    [InlineData("fit {file} -m --summary", "-m needs a value; use one of: gd, normal, qr, sgd. ('--summary' after it is an option, not its value.)", "fit")]
    [InlineData("fit {file} --scale --no-intercept -m gd", "--scale needs a value; use one of: none, standard. ('--no-intercept' after it is an option, not its value.)", "fit")]
    [InlineData("fit {file} -o -q", "-o needs a value (FILE). ('-q' after it is an option, not its value.)", "fit")]
    public void A_command_line_mistake_is_one_line_naming_the_option_or_value(string line, string expected, string? command)
    {
        var file = Lsq.Sample("linear.csv");
        var r = Lsq.Run(line.Replace("{file}", file, StringComparison.Ordinal).Split(' '));
        Assert.Equal(1, r.Code);
        Assert.Equal("", r.Out);
        var help = command is null ? "lsq" : "lsq " + command;
        Assert.Equal($"lsq: error: {expected.Replace("{file}", file, StringComparison.Ordinal)}\nlsq: run '{help} --help' for the usage.\n", r.Err);
    }
}
