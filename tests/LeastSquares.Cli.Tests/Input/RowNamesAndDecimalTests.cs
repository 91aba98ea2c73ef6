namespace LeastSquares.Cli.Tests;

/// <summary>
/// R's write.table files (the header one field shorter than the rows: the first column is the row
/// names) on every reader, predict keeping the row names, and --decimal , (R's write.csv2).
/// </summary>
public sealed class RowNamesAndDecimalTests
{
    private static string Data(string name) => Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", name);

    [Fact]
    public void A_write_table_file_reads_the_same_through_a_file_standard_input_and_gzip()
    {
        var fromFile = Lsq.Run("fit", Data("mtcars.write-table.csv"), "-y", "mpg", "-f", "json");
        Assert.True(fromFile.Code == 0, fromFile.Err);
        Assert.DoesNotContain("\"term\":\"\"", fromFile.Out, StringComparison.Ordinal);
        Assert.Contains("\"p\":11", fromFile.Out, StringComparison.Ordinal); // the intercept and the 10 columns but mpg
        var csv = File.ReadAllText(Data("mtcars.write-table.csv"));
        var unquoted = csv.Replace("\"", "", StringComparison.Ordinal).Replace(' ', '_'); // a plain header goes the fast way on standard input
        var fromStdin = Lsq.RunWithInput(unquoted, "fit", "-", "-y", "mpg", "-f", "json");
        Assert.True(fromStdin.Code == 0, fromStdin.Err);
        Assert.Equal(fromFile.Out, fromStdin.Out);
        using var dir = new TempDir();
        var gz = Path.Combine(dir.Path, "mtcars.csv.gz");
        using (var output = File.Create(gz))
        using (var zip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            zip.Write(System.Text.Encoding.UTF8.GetBytes(unquoted));
        }

        var fromGzip = Lsq.Run("fit", gz, "-y", "mpg", "-f", "json");
        Assert.True(fromGzip.Code == 0, fromGzip.Err);
        Assert.Equal(fromFile.Out, fromGzip.Out);
    }

    [Fact]
    public void Predict_keeps_the_row_names_of_a_write_table_file()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", Data("mtcars.write-table.csv"), "mpg ~ wt + hp", "--save", model, "-q").Code);
        var p = Lsq.Run("predict", "--model", model, Data("mtcars.write-table.csv"));
        Assert.True(p.Code == 0, p.Err);
        var lines = p.Out.Split('\n');
        Assert.StartsWith(",mpg,cyl,", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",prediction", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Mazda RX4,21,6,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("Volvo 142E,", lines[32], StringComparison.Ordinal);
    }

    [Fact]
    public void A_decimal_comma_file_fits_as_its_decimal_point_twin_and_predict_prints_points()
    {
        var point = Lsq.Run("fit", Data("mtcars.csv"), "mpg ~ wt + qsec", "-f", "json");
        var comma = Lsq.Run("fit", Data("mtcars.write-csv2.csv"), "mpg ~ wt + qsec", "-f", "json", "--decimal", ",");
        Assert.True(comma.Code == 0, comma.Err);
        Assert.Equal(point.Out, comma.Out);
        var fromStdin = Lsq.RunWithInput(File.ReadAllText(Data("mtcars.write-csv2.csv")), "fit", "-", "mpg ~ wt + qsec", "-f", "json", "--decimal", ",");
        Assert.Equal(point.Out, fromStdin.Out);
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", Data("mtcars.csv"), "mpg ~ wt", "--save", model, "-q").Code);
        var p = Lsq.Run("predict", "--model", model, Data("mtcars.write-csv2.csv"), "--decimal", ",");
        Assert.True(p.Code == 0, p.Err);
        var first = p.Out.Split('\n')[1];
        Assert.StartsWith("Mazda RX4,21,6,160,110,\"3,9\",\"2,62\",", first, StringComparison.Ordinal);
        Assert.Matches(",[0-9]+\\.[0-9]+$", first);
    }

    [Fact]
    public void A_comma_delimiter_with_a_decimal_comma_is_a_usage_error() =>
        Expect.Error(Lsq.Run("fit", Data("mtcars.write-csv2.csv"), "--decimal", ",", "--delimiter", ",", "mpg ~ wt"), 1, "command-line/decimal-comma-with-comma-delimiter", "--decimal ','", "--delimiter ','");

    [Fact]
    public void A_decimal_mark_other_than_point_or_comma_is_a_usage_error() =>
        Expect.Error(Lsq.Run("fit", Data("mtcars.write-csv2.csv"), "--decimal", ";", "mpg ~ wt"), 1, "command-line/decimal-other", "--decimal ';'");

    [Fact]
    public void A_point_in_a_decimal_comma_file_is_not_a_number()
    {
        using var dir = new TempDir();
        Expect.Error(Lsq.Run("fit", dir.File("d.csv", "x;y\n1,5;2\n1.234;3\n3;4\n"), "--decimal", ",", "y ~ x"), 2, "input/decimal-comma-point", "d.csv:3:1", "'1.234'");
    }

    [Fact]
    public void A_decimal_comma_cell_read_without_the_option_suggests_it()
    {
        using var dir = new TempDir();
        Expect.Error(Lsq.Run("fit", dir.File("d.csv", "x;y\n1,5;2\n2;3\n3;4\n"), "--delimiter", ";", "y ~ x"), 2, "input/decimal-comma-without-option", "d.csv:2:1", "--decimal ','");
    }
}
