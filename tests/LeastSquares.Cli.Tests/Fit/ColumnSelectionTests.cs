using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>--features globs and ranges, --exclude: each form picks the same model as the plain list it stands for.</summary>
public sealed class ColumnSelectionTests
{
    private const string Data = "id,x1,x2,x3,z,y\n1,1,2,0,5,3.1\n2,2,1,1,4,4.9\n3,3,5,0,7,9.2\n4,4,2,1,1,8.8\n5,5,6,1,3,13.1\n6,6,1,0,2,11.0\n7,7,3,1,8,15.2\n";

    private static string Coefficients(string file, params string[] args)
    {
        var r = Lsq.Run(["fit", file, "-y", "y", "-f", "json", .. args]);
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        return doc.RootElement.GetProperty("coefficients").GetRawText();
    }

    [Theory]
    [InlineData("x*")]
    [InlineData("x?")]
    [InlineData("x[1-3]")]
    [InlineData("x1:x3")]
    [InlineData("2-4")]
    [InlineData("x1,x2:x3")]
    [InlineData("2,x[23]")]
    public void Each_form_selects_the_listed_columns(string form)
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data);
        Assert.Equal(Coefficients(file, "-x", "x1,x2,x3"), Coefficients(file, "-x", form));
    }

    [Fact]
    public void Exclude_means_every_other_column_but_the_target()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data);
        Assert.Equal(Coefficients(file, "-x", "x1,x2,x3"), Coefficients(file, "--exclude", "id,z"));
        Assert.Equal(Coefficients(file, "-x", "x1,x2,x3"), Coefficients(file, "--exclude", "1,5"));
        Assert.Equal(Coefficients(file, "-x", "x2,x3,z"), Coefficients(file, "--exclude", "id,x1"));
    }

    [Fact]
    public void A_formula_dot_leaves_out_the_excluded_columns()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data);
        var r = Lsq.Run("fit", file, "y ~ .", "--exclude", "id,z", "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(Coefficients(file, "-x", "x1,x2,x3"), doc.RootElement.GetProperty("coefficients").GetRawText());
    }

    [Fact]
    public void Exclude_narrows_a_features_list()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data);
        Assert.Equal(Coefficients(file, "-x", "x1,x3"), Coefficients(file, "-x", "x*", "--exclude", "x2"));
    }

    [Fact]
    public void A_glob_passes_over_the_target()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data);
        Assert.Equal(Coefficients(file, "-x", "x1,x2,x3,z"), Coefficients(file, "-x", "x*,z:y"));
    }

    [Fact]
    public void An_exact_header_name_wins_over_a_range()
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", "a,2-3,y\n1,5,2\n2,3,4\n3,8,5\n4,1,9\n");
        var r = Lsq.Run("fit", file, "-x", "2-3", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("\"2-3\"", r.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\"a\"", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-x", "q*", "--features 'q\\*': no column of .*d\\.csv matches\\. Its columns are: 'id', ")]
    [InlineData("-x", "3-9", "--features '3-9': a column-number range runs from a lower to a higher number within 1 to 6")]
    [InlineData("-x", "x3:x1", "--features 'x3:x1': in .*d\\.csv column 'x3' comes after 'x1'; write the range in header order \\('x1:x3'\\)")]
    [InlineData("-x", "x1:w", "--features 'w': .*has no such column")]
    [InlineData("--exclude", "id,x1,x2,x3,z", ".*d\\.csv: --exclude leaves no predictor column")]
    [InlineData("--exclude", "nope", "--exclude 'nope': .*has no such column")]
    public void Selection_errors_say_what_to_do(string option, string value, string pattern)
    {
        using var dir = new TempDir();
        var file = dir.File("d.csv", Data);
        var r = Lsq.Run("fit", file, "-y", "y", option, value);
        Assert.NotEqual(0, r.Code);
        Assert.Equal("", r.Out);
        Assert.Matches("^lsq: error: " + pattern, r.Err);
    }
}
