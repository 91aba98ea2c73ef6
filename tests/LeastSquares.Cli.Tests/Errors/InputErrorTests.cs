using System.Text.RegularExpressions;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// The data file and its columns (lsq fit standing for every command that reads CSV): exit 2 for
/// input that cannot be read as numbers, exit 1 for columns chosen that are not there. Each
/// message names the file, the 1-based line and column, the text at fault and what to do.
/// </summary>
public sealed class InputErrorTests
{
    private static Lsq.Result Fit(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        return Lsq.Run(["fit", file, .. extra]);
    }

    private static Lsq.Result FitBytes(byte[] bytes, params string[] extra)
    {
        using var dir = new TempDir();
        var file = Path.Combine(dir.Path, "data.csv");
        File.WriteAllBytes(file, bytes);
        return Lsq.Run(["fit", file, .. extra]);
    }

    // The file itself.

    [Fact]
    public void Missing_file() =>
        Expect.Error(Lsq.Run("fit", "no/such/file.csv"), 2, "input/missing-file", "no/such/file.csv: no such file");

    [Fact]
    public void Directory_instead_of_file()
    {
        using var dir = new TempDir();
        Expect.Error(Lsq.Run("fit", dir.Path), 2, "input/directory", dir.Path, "is a directory");
    }

    [SkippableFact]
    public void Unreadable_file()
    {
        Skip.If(OperatingSystem.IsWindows(), "Unix file modes only.");
        using var dir = new TempDir();
        var file = dir.File("secret.csv", "x,y\n1,2\n2,3\n3,5\n");
#pragma warning disable CA1416 // guarded by the skip above
        File.SetUnixFileMode(file, UnixFileMode.None);
#pragma warning restore CA1416
        bool readable;
        try
        {
            using var probe = File.OpenRead(file);
            readable = true;
        }
        catch (UnauthorizedAccessException)
        {
            readable = false;
        }

        Skip.If(readable, "running as root, which can read a file without permissions; nothing to test here.");
        Expect.Error(Lsq.Run("fit", file), 2, "input/unreadable-file", "secret.csv: cannot be read");
    }

    [Fact]
    public void Empty_file() =>
        Expect.Error(Fit(""), 2, "input/empty-file", "data.csv: the input is empty");

    [Fact]
    public void Header_only() =>
        Expect.Error(Fit("x,y\n"), 2, "input/header-only", "data.csv: the input has a header but no data rows");

    [Fact]
    public void Binary_garbage_is_an_input_error()
    {
        var rng = new Random(5);
        var bytes = new byte[4096];
        rng.NextBytes(bytes);
        var r = FitBytes(bytes);
        Assert.DoesNotContain("internal error", r.Err, StringComparison.Ordinal);
        Expect.Error(r, 2, "input/binary-garbage", "data.csv:");
    }

    [Theory]
    [InlineData("x\0,y\n1,2\n2,4\n3,5\n", "nul-header", "data.csv:1:1: the header name is 'x\\0': a NUL byte")]
    [InlineData("x,y\n1,2\n2,3\09\n3,5\n", "nul-cell", "data.csv:3:2: column 'y' holds '3\\09': a NUL byte")]
    [InlineData("x\xe9,y\n1,2\n2,4\n3,5\n", "latin1-header", "data.csv:1:1: the header name is 'x\\xe9': bytes that are not UTF-8")]
    [InlineData("x,y\n1,2\n2,\xff\xfe\n3,5\n", "latin1-cell", "data.csv:3:2: column 'y' holds '\\xff\\xfe': bytes that are not UTF-8")]
    [InlineData("g,x,y\ncaf\xe9,1,2\nb,2,3\ncaf\xe8,3,5\nb,4,4\n", "latin1-level", "data.csv:2:1: column 'g' holds 'caf\\xe9': bytes that are not UTF-8")]
    public void A_NUL_or_bytes_that_are_not_UTF8_are_an_input_error_showing_the_bytes(string latin1, string name, string fact)
    {
        // Before: read as U+FFFD, silently (two Latin-1 levels became one); the message showed '��'.
        var r = FitBytes(System.Text.Encoding.Latin1.GetBytes(latin1));
        Expect.Error(r, 2, "input/not-text-" + name, fact);
    }

    // Cells.

    [Fact]
    public void Non_numeric_cell_names_file_line_column_and_text() =>
        Expect.Error(Fit("x,y\n1,2\n2,abc\n3,7\n"), 2, "input/non-numeric-cell", "data.csv:3:2: column 'y' holds 'abc', which is not a number");

    [Fact]
    public void Comma_decimal_is_not_a_number() =>
        Expect.Error(Fit("x,y\n1,2\n\"1,5\",3\n3,7\n"), 2, "input/comma-decimal", "data.csv:3:1: column 'x' holds '1,5', which is not a number");

    [Fact]
    public void Missing_cluster_cell_is_an_error_as_any_other_column_the_fit_uses() =>
        Expect.Error(Fit("x,g,y\n1,a,2\n2,b,3\n3,NA,7\n4,a,9\n5,b,8\n", "y ~ x", "--cluster", "g", "--summary"), 2, "input/cluster-missing",
            "data.csv:4:2", "'g'", "NA", "--missing skip");

    [Fact]
    public void Empty_cell_suggests_missing_skip() =>
        Expect.Error(Fit("x,y\n1,2\n2,\n3,7\n"), 2, "input/empty-cell", "data.csv:3:2: column 'y' is empty", "--missing skip");

    [Theory]
    [InlineData("NaN", "nan")]
    [InlineData("Infinity", "infinity")]
    [InlineData("1e309", "overflow")]
    [InlineData("inf", "inf-lower-case")]
    [InlineData("-Inf", "minus-inf")]
    [InlineData("nan", "nan-lower-case")]
    public void Non_finite_values_are_refused_from_a_file_and_from_standard_input(string text, string golden)
    {
        var csv = $"x,y\n1,2\n2,{text}\n3,7\n";
        var file = Fit(csv);
        Expect.Error(file, 2, "input/non-finite-" + golden, $"data.csv:3:2: column 'y' holds '{text}', which is not a finite number");
        var piped = Lsq.RunWithInput(csv, "fit");
        Assert.Equal(2, piped.Code);
        Assert.Equal(Regex.Replace(file.Err, @"[^ ]*data\.csv", "<stdin>"), piped.Err);
    }

    [Fact]
    public void Very_long_cell_is_quoted_shortened()
    {
        var junk = new string('z', 100_000);
        var r = Fit($"x,y\n1,2\n2,{junk}\n3,4\n");
        Expect.Error(r, 2, "input/very-long-cell", "data.csv:3:2: column 'y' holds 'zzzz");
        Assert.True(r.Err.Length < 1000, "the message quotes a prefix of the text, not all of it");
    }

    // Records.

    [Fact]
    public void Too_many_fields_in_a_row() =>
        Expect.Error(Fit("x,y\n1,2\n2,3,4\n3,7\n"), 2, "input/too-many-fields", "data.csv:3: the row has 3 fields but the header has 2");

    [Fact]
    public void Unterminated_quote() =>
        Expect.Error(Fit("x,y\n1,2\n2,\"3\n3,7\n"), 2, "input/unterminated-quote", "data.csv:3: malformed CSV");

    [Fact]
    public void Text_after_a_closing_quote() =>
        Expect.Error(Fit("x,y\n1,2\n\"2\"x,3\n3,7\n"), 2, "input/text-after-closing-quote", "data.csv:3: malformed CSV: text after the closing quote of a quoted field.");

    [Fact]
    public void Error_line_numbers_count_lines_inside_quoted_fields() =>
        Expect.Error(Fit("name,x,y\n\"two\nlines\",2,3.5\nplain,3,oops\n", "-x", "x"), 2, "input/line-after-quoted-newline", "data.csv:4:3: column 'y' holds 'oops'");

    // The header.

    [Fact]
    public void Duplicate_header_names_are_refused_when_used() =>
        Expect.Error(Fit("x,x,y\n1,2,3\n2,3,5\n3,5,4\n"), 2, "input/duplicate-header-name", "names column 'x' more than once");

    [Fact]
    public void A_trailing_separator_in_the_header_is_named_not_taken_for_an_empty_target()
    {
        using var dir = new TempDir();
        var file = dir.File("t.csv", "x,y,\n1,2,\n2,3,\n3,5,\n");
        Expect.Error(Lsq.Run("fit", file), 2, "input/trailing-separator-in-header",
            $"lsq: error: {file}:1:3: the header has an empty column name at column 3 (the header line ends with a separator, so lsq sees an extra column). Remove the trailing separator, name the column, or choose the columns with -x and -y (here: -x x -y y).\n");
    }

    [Theory]
    [InlineData("middle", "x,,y\n1,2,3\n2,2,5\n3,1,7\n", new string[0], "2: the header has an empty column name at column 2. Name the column in the header, or choose the columns with -x and -y (here: -x x -y y).")]
    [InlineData("middle-target-chosen", "x,,y\n1,2,3\n2,2,5\n3,1,7\n", new[] { "-y", "y" }, "2: the header has an empty column name at column 2.")]
    [InlineData("trailing-chosen-by-number", "a b,y,\n1,2,\n2,3,\n3,5,\n", new[] { "-y", "3" }, "3: the header has an empty column name at column 3 (the header line ends with a separator, so lsq sees an extra column). Remove the trailing separator, name the column, or choose the columns with -x and -y (here: -x 'a b' -y y).")]
    public void An_empty_header_name_used_as_a_predictor_or_chosen_by_number_is_named(string golden, string csv, string[] options, string expected)
    {
        using var dir = new TempDir();
        var file = dir.File("t.csv", csv);
        Expect.Error(Lsq.Run(["fit", file, .. options]), 2, "input/empty-header-name-" + golden, $"lsq: error: {file}:1:{expected}");
    }

    // Columns chosen on the command line (exit 1: the command does not fit the file).

    [Fact]
    public void Unknown_target_column_lists_the_columns() =>
        Expect.Error(Fit("x,y\n1,2\n2,3\n", "--target", "z"), 1, "input/unknown-target", "--target 'z': ", "data.csv has no such column. Its columns are: 'x', 'y'.");

    [Fact]
    public void An_unknown_column_among_many_names_the_nearest_and_the_count()
    {
        // Before: all 201 names on one line (about 2 KB).
        var header = string.Join(",", Enumerable.Range(0, 200).Select(i => $"x{i}").Append("y"));
        var r = Fit(header + "\n" + string.Join(",", Enumerable.Range(0, 201)) + "\n", "-x", "x12,xx31");
        Expect.Error(r, 1, "input/unknown-column-among-many", "--features 'xx31': ", "It has 201 columns; the nearest names are 'x31', 'x131', 'x1', 'x3', 'x11'.");
        Assert.True(r.Err.Length < 200, r.Err);
    }

    [Theory]
    [InlineData("id;region;x1;y\n1;a;2;3\n", "semicolons", "The header is one field holding ';': if the file is separated by ';', pass --delimiter ';'.")]
    [InlineData("id\tx1\ty\n1\t2\t3\n", "tabs", "The header is one field holding tabs: if the file is separated by tabs, pass --delimiter tab.")]
    public void A_header_of_one_field_holding_a_separator_suggests_delimiter(string csv, string name, string hint) =>
        Expect.Error(Fit(csv, "-y", "y"), 1, $"input/one-field-header-{name}", "has no such column", hint);

    [Fact]
    public void Unknown_feature_column() =>
        Expect.Error(Fit("x,y\n1,2\n2,3\n", "--features", "x,w"), 1, "input/unknown-feature", "--features 'w': ", "has no such column");

    [Fact]
    public void A_misspelt_column_name_gets_one_suggestion_when_one_name_is_close()
    {
        const string Csv = "price,area,rooms\n1,2,3\n2,3,5\n4,1,2\n";
        Expect.Error(Fit(Csv, "-y", "prise"), 1, "input/misspelt-target", "--target 'prise': ", "Did you mean 'price'?");
        Expect.Error(Fit(Csv, "-F", "rooms ~ aera + price"), 1, "input/misspelt-formula-column", "no column named 'aera' (did you mean 'area'?)");
    }

    [Fact]
    public void Target_listed_as_feature() =>
        Expect.Error(Fit("x,y\n1,2\n2,3\n", "-x", "x,y"), 1, "input/target-as-feature", "column 'y' is both the target");

    [Fact]
    public void Duplicate_feature() =>
        Expect.Error(Fit("a,b,y\n1,2,3\n2,3,4\n3,5,1\n4,4,4\n", "-x", "a,a"), 1, "input/duplicate-feature", "column 'a' is listed twice");

    [Fact]
    public void Column_number_out_of_range()
    {
        Expect.Error(Fit("a,b,y\n1,0,3\n2,1,5\n3,0,4\n", "-x", "5"), 1, "input/feature-number-out-of-range", "--features 5: column numbers run from 1 to 3 in ", "data.csv");
        Expect.Error(Fit("a,b,y\n1,0,3\n2,1,5\n3,0,4\n", "-y", "9"), 1, "input/target-number-out-of-range", "--target 9: column numbers run from 1 to 3 in ");
    }

    [Fact]
    public void Degree_with_several_predictors() =>
        Expect.Error(Fit("a,b,y\n1,0,3\n2,1,5\n3,0,4\n", "--degree", "2"), 1, "input/degree-with-two-predictors",
            "--degree fits a polynomial in one predictor, but 2 were given. Pick one with --features.");

    // Values beyond what squares and sums of squares can hold.

    [Theory]
    [InlineData("normal", "x,y\n1e200,1\n2e200,3\n3e200,2\n", "x")]
    [InlineData("qr", "x,y\n1,1e200\n2,3e200\n3,2e200\n", "y")]
    public void A_column_whose_squares_overflow_is_named_with_the_rescaling(string method, string csv, string column) =>
        Expect.Error(Fit(csv, "-m", method), 2, $"input/squares-overflow-{column}-{method}",
            $"the squares of column '{column}' overflow", "Rescale it, e.g. divide it by 1e150.");

    [Fact]
    public void A_column_varying_by_less_than_a_square_can_hold_is_named_with_the_rescaling() =>
        Expect.Error(Fit("x,y\n1e-170,1\n2e-170,3\n3e-170,2\n"), 2, "input/squares-underflow",
            "column 'x' varies by amounts too small to square", "Rescale it, e.g. multiply it by 1e150.");
}

/// <summary>Categorical columns: a late text cell in a numeric column, a categorical column read as a number.</summary>
public sealed class FactorInputErrorTests
{
    private static Lsq.Result Fit(string csv, params string[] args)
    {
        using var dir = new TempDir();
        var data = dir.File("data.csv", csv);
        return Lsq.Run(["fit", data, .. args]);
    }

    [Fact]
    public void A_late_text_cell_in_a_numeric_column_suggests_factor() =>
        Expect.Error(Fit("cyl,y\n4,1\n6,2\n8,3\nsix,4\n", "-y", "y"), 2, "input/late-text-suggests-factor",
            "data.csv:5:1: column 'cyl' holds 'six', which is not a number", "write factor(cyl) in a formula");

    [Fact]
    public void A_text_column_in_a_numeric_transform_is_a_usage_error() =>
        Expect.Error(Fit("g,x,y\na,1,2\nb,2,3\n", "y ~ log(g) + x"), 1, "input/categorical-as-number",
            "column 'g' holds text, so it is categorical, but log(g) reads it as a number");

    [Fact]
    public void Factor_of_an_expression_is_not_supported() =>
        Expect.Error(Fit("x,y\n1,2\n2,3\n", "y ~ factor(x + 1)"), 1, "input/factor-of-expression", "factor() of an expression");
}
