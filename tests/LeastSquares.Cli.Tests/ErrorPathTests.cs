namespace LeastSquares.Cli.Tests;

/// <summary>Every error path: its exit code and its message, which names what, where and what to do.</summary>
public sealed class ErrorPathTests
{
    private static Lsq.Result FitText(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        return Lsq.Run(["fit", file, .. extra]);
    }

    private static void AssertError(Lsq.Result r, int code, string pattern)
    {
        Assert.Equal(code, r.Code);
        Assert.Equal("", r.Out);
        Assert.Matches("^lsq: error: " + pattern, r.Err);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public void An_unknown_column_among_many_names_the_nearest_and_the_count()
    {
        // Before: all 201 names on one line (about 2 KB).
        var header = string.Join(",", Enumerable.Range(0, 200).Select(i => $"x{i}").Append("y"));
        var r = FitText(header + "\n" + string.Join(",", Enumerable.Range(0, 201)) + "\n", "-x", "x12,xx31");
        AssertError(r, 1, @"--features 'xx31': .*data\.csv has no such column\. It has 201 columns; the nearest names are 'x31', 'x131', 'x1', 'x3', 'x11'\.\n$");
        Assert.True(r.Err.Length < 200, r.Err);
    }

    [Fact]
    public void An_unknown_column_among_few_lists_them_all() =>
        AssertError(FitText("a,b,y\n1,2,3\n", "-x", "c"), 1, @"--features 'c': .*data\.csv has no such column\. Its columns are: 'a', 'b', 'y'\.\n$");

    [Theory]
    [InlineData("id;region;x1;y\n1;a;2;3\n", "';'", "';'")]
    [InlineData("id\tx1\ty\n1\t2\t3\n", "tabs", "tab")]
    public void A_header_of_one_field_holding_a_separator_suggests_delimiter(string csv, string holding, string option) =>
        AssertError(FitText(csv, "-y", "y"), 1,
            $@".*has no such column\. Its columns are: '.*'\. The header is one field holding {holding}: if the file is separated by {holding}, pass --delimiter {option}\.\n$");

    [Fact]
    public void Missing_file() =>
        AssertError(Lsq.Run("fit", "no/such/file.csv"), 2, @"no/such/file\.csv: no such file");

    [Fact]
    public void Directory_instead_of_file()
    {
        using var dir = new TempDir();
        AssertError(Lsq.Run("fit", dir.Path), 2, ".*is a directory");
    }

    [Fact]
    public void Non_numeric_cell_names_file_line_column_and_text() =>
        AssertError(FitText("x,y\n1,2\n2,abc\n3,7\n"), 2, @".*data\.csv:3:2: column 'y' holds 'abc', which is not a number");

    [Fact]
    public void Comma_decimal_is_not_a_number() =>
        AssertError(FitText("x,y\n1,2\n\"1,5\",3\n3,7\n"), 2, @".*data\.csv:3:1: column 'x' holds '1,5', which is not a number");

    [Fact]
    public void Empty_cell() =>
        AssertError(FitText("x,y\n1,2\n2,\n3,7\n"), 2, @".*data\.csv:3:2: column 'y' is empty.*--missing skip");

    [Fact]
    public void Missing_skip_leaves_the_row_out_and_says_so()
    {
        var r = FitText("x,y\n1,2\n2,\n3,7\n4,9\n", "--missing", "skip", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("skipped 1 row", r.Err, StringComparison.Ordinal);
        Assert.Contains("\"n\":3,", r.Out, StringComparison.Ordinal);
        Assert.Contains("\"skipped_rows\":1", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1e309")]
    public void Non_finite_values_are_refused(string text) =>
        AssertError(FitText($"x,y\n1,2\n2,{text}\n3,7\n"), 2, $@".*data\.csv:3:2: column 'y' holds '{text}', which is not a finite number");

    [Fact]
    public void Ragged_row() =>
        AssertError(FitText("x,y\n1,2\n2,3,4\n3,7\n"), 2, @".*data\.csv:3: the row has 3 fields but the header has 2");

    [Fact]
    public void Unterminated_quote() =>
        AssertError(FitText("x,y\n1,2\n2,\"3\n3,7\n"), 2, @".*data\.csv:3: malformed CSV");

    [Fact]
    public void Unknown_target_column_lists_the_columns() =>
        AssertError(FitText("x,y\n1,2\n2,3\n", "--target", "z"), 1, @"--target 'z': .*data\.csv has no such column\. Its columns are: 'x', 'y'\.");

    [Fact]
    public void Unknown_feature_column() =>
        AssertError(FitText("x,y\n1,2\n2,3\n", "--features", "x,w"), 1, @"--features 'w': .*has no such column");

    [Fact]
    public void Target_listed_as_feature() =>
        AssertError(FitText("x,y\n1,2\n2,3\n", "-x", "x,y"), 1, "column 'y' is both the target");

    [Fact]
    public void Duplicate_feature() =>
        AssertError(FitText("a,b,y\n1,2,3\n2,3,4\n3,5,1\n4,4,4\n", "-x", "a,a"), 1, "column 'a' is listed twice");

    [Fact]
    public void Empty_file() =>
        AssertError(FitText(""), 2, @".*data\.csv: the input is empty");

    [Fact]
    public void Header_only() =>
        AssertError(FitText("x,y\n"), 2, @".*data\.csv: the input has a header but no data rows");

    [Fact]
    public void Fewer_rows_than_coefficients() =>
        AssertError(FitText("a,b,y\n1,2,3\n2,3,4\n"), 3, "2 data rows but the model has 3 coefficients");

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Constant_column(string method) =>
        AssertError(FitText("a,b,y\n1,5,3\n2,5,4\n3,5,1\n4,5,4\n", "-m", method), 3, "column 'b' is constant \\(every value is 5\\)");

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Duplicated_column_is_collinear(string method) =>
        AssertError(FitText("a,b,y\n1,1,3\n2,2,4\n3,3,1\n4,4,4\n", "-m", method), 3,
            "the design is rank-deficient: columns 'b', 'a' are collinear \\(b ≈ 1·a \\+ constant\\)");

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Column_that_is_a_combination_of_two_others_names_all_three(string method) =>
        AssertError(FitText("a,b,c,y\n1,0,2,3\n2,1,6,4\n3,5,16,1\n4,2,12,4\n5,7,24,2\n", "-m", method), 3,
            "the design is rank-deficient: columns 'c', 'a', 'b' are collinear \\(c ≈ 2·a \\+ 2·b \\+ constant\\)");

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Ill_conditioned_design_is_reported_not_silent(string method)
    {
        // b = a + 1e-10·(i mod 3): full rank, but the columns agree to 11 digits.
        var csv = new System.Text.StringBuilder("a,b,y\n");
        for (int i = 1; i <= 30; i++)
        {
            double b = i + (1e-10 * (i % 3));
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"{i},{b:R},{(2 * i) + (i % 5):R}\n");
        }

        var r = FitText(csv.ToString(), "-m", method, "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Matches("^lsq: warning: the design is ill-conditioned \\(condition number [0-9.]+e1[0-9]\\)", r.Err);
        using var json = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal(method, json.RootElement.GetProperty("method").GetString());
        Assert.True(json.RootElement.GetProperty("condition_number").GetDouble() > 1e10);
    }

    [Fact]
    public void Unknown_option() =>
        AssertError(Lsq.Run("fit", "--frobnicate"), 1, ".*--frobnicate");

    [Fact]
    public void Bad_method_value() =>
        AssertError(Lsq.Run("fit", "x.csv", "--method", "magic"), 1, ".*magic");

    [Fact]
    public void Bad_alpha_value() =>
        AssertError(Lsq.Run("fit", "x.csv", "--alpha", "-1"), 1, "--alpha '-1': give a positive number");

    [Fact]
    public void Bad_delimiter() =>
        AssertError(FitText("x,y\n1,2\n", "--delimiter", "ab"), 1, "--delimiter 'ab'");

    [Fact]
    public void No_command() =>
        AssertError(Lsq.Run(), 1, "no command given");
}

/// <summary>Option values that are not numbers, or out of range, and options the method would ignore: exit 1, one line, no trace.</summary>
public sealed class OptionValueTests
{
    [Theory]
    [InlineData("--degree", "2.5")]
    [InlineData("--degree", "99999999999")]
    [InlineData("--max-iter", "abc")]
    [InlineData("--max-iter", "1e3")]
    [InlineData("--batch-size", "1.5")]
    [InlineData("--alpha", "abc")]
    [InlineData("--alpha", "0")]
    [InlineData("--tol", "abc")]
    [InlineData("--tol", "-1")]
    [InlineData("--seed", "x")]
    [InlineData("--decay", "-1")]
    public void Bad_numbers_are_usage_errors(string option, string value)
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", "sgd", option, value);
        Assert.Equal(1, r.Code);
        Assert.StartsWith($"lsq: error: {option} '{value}': give a ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("normal", "--alpha", "0.1")]
    [InlineData("normal", "--optimizer", "adam")]
    [InlineData("qr", "--max-iter", "5")]
    [InlineData("normal", "--trace", "t.csv")]
    [InlineData("gd", "--batch-size", "8")]
    [InlineData("gd", "--seed", "3")]
    public void Options_the_method_would_ignore_are_refused(string method, string option, string value)
    {
        var r = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-m", method, option, value);
        Assert.Equal(1, r.Code);
        Assert.Contains($"{option} ", r.Err, StringComparison.Ordinal);
        Assert.Contains("no effect with --method " + method, r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qr")]
    [InlineData("sgd")]
    public void Merge_offers_only_methods_that_work_on_moments(string method)
    {
        var r = Lsq.Run("merge", Lsq.Sample("linear-1.partial"), "-m", method);
        Assert.Equal(1, r.Code);
        Assert.Contains(method, r.Err, StringComparison.Ordinal);
    }
}
