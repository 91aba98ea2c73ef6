using System.IO.Compression;

namespace LeastSquares.Cli.Tests;

/// <summary>lsq fit a.csv b.csv …: the concatenation of the files, each possibly compressed; headers must match.</summary>
public sealed class MultipleFilesTests
{
    private static (string Header, string[] Rows) Sample()
    {
        var lines = File.ReadAllLines(Lsq.Sample("linear.csv"));
        return (lines[0], lines[1..]);
    }

    private static string Json(params string[] args)
    {
        var r = Lsq.Run(["fit", .. args, "-f", "json"]);
        Assert.True(r.Code == 0, r.Err);
        return r.Out;
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Several_files_fit_as_their_concatenation(string method)
    {
        using var dir = new TempDir();
        var (header, rows) = Sample();
        int third = rows.Length / 3;
        var a = dir.File("a.csv", header + "\n" + string.Join("\n", rows[..third]) + "\n");
        var b = dir.File("b.csv", header + "\n" + string.Join("\n", rows[third..(2 * third)]) + "\n");
        var c = Path.Combine(dir.Path, "c.csv.gz");
        using (var z = new GZipStream(File.Create(c), CompressionLevel.Fastest))
        {
            z.Write(System.Text.Encoding.UTF8.GetBytes(header + "\n" + string.Join("\n", rows[(2 * third)..]) + "\n"));
        }

        Assert.Equal(Json(Lsq.Sample("linear.csv"), "--method", method), Json(a, b, c, "--method", method));
    }

    [Fact]
    public void A_formula_among_the_files_states_the_model_of_their_concatenation()
    {
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Lsq.Sample("r/mtcars.csv"));
        var a = dir.File("a.csv", string.Join("\n", lines[..17]) + "\n");
        var b = dir.File("b.csv", lines[0] + "\n" + string.Join("\n", lines[17..]) + "\n");
        Assert.Equal(Json(Lsq.Sample("r/mtcars.csv"), "mpg ~ wt * hp"), Json(a, "mpg ~ wt * hp", b));
    }

    [Fact]
    public void A_file_whose_name_holds_a_tilde_and_is_no_formula_is_read_as_a_file()
    {
        // An editor's backup (data.csv~) and a~1.csv name files; neither parses as a formula, so the file wins.
        using var dir = new TempDir();
        var plain = Json(Lsq.Sample("linear.csv"));
        var backup = dir.File("data.csv~", File.ReadAllText(Lsq.Sample("linear.csv")));
        var tilde = dir.File("a~1.csv", File.ReadAllText(Lsq.Sample("linear.csv")));
        Assert.Equal(plain, Json(backup));
        Assert.Equal(plain, Json(tilde));
        Assert.Equal(Json(Lsq.Sample("linear.csv"), Lsq.Sample("linear.csv")), Json(Lsq.Sample("linear.csv"), backup));
        foreach (var command in new[] { "anova", "plot" })
        {
            string[] more = command == "plot" ? ["-o", Path.Combine(dir.Path, "p.svg")] : ["y ~ x"];
            var r = Lsq.Run([command, tilde, .. more]);
            Assert.True(r.Code == 0, command + ": " + r.Err);
        }

        // A name that is also a formula (x~y.csv exists) is still the formula; ./ makes it the file.
        var both = dir.File("x~y.csv", File.ReadAllText(Lsq.Sample("linear.csv")));
        Assert.Equal(plain, Json("./" + Path.GetRelativePath(Environment.CurrentDirectory, both)));
    }

    [Fact]
    public void Two_formulas_are_a_usage_error()
    {
        using var dir = new TempDir();
        var a = dir.File("a.csv", "x,y\n1,2\n2,4\n3,7\n");
        Expect.Error(Lsq.Run("fit", a, "y ~ x", "y ~ 1 + x"), 1, "command-line/two-formulas", "2 arguments contain '~'");
    }

    [Fact]
    public void Cross_validation_over_several_files_is_refused_with_what_to_do()
    {
        using var dir = new TempDir();
        var a = dir.File("a.csv", "x,y\n1,2\n2,4\n3,7\n");
        var b = dir.File("b.csv", "x,y\n4,8\n5,9\n");
        Expect.Error(Lsq.Run("fit", a, b, "--penalty", "lasso", "--lambda", "auto"), 1, "command-line/folds-several-files", "--lambda auto's cross-validation reads one input");
    }

    [Fact]
    public void Different_headers_are_exit_2_naming_the_file_and_the_difference()
    {
        using var dir = new TempDir();
        var a = dir.File("a.csv", "x,y\n1,2\n2,4\n");
        var b = dir.File("b.csv", "x,z\n3,6\n");
        var r = Lsq.Run("fit", a, b);
        Assert.Equal(2, r.Code);
        Assert.Equal("", r.Out);
        Assert.Matches(@"^lsq: error: .*b\.csv: its header differs from that of .*a\.csv \(column 2 is 'z' here and 'y' there\)", r.Err);
    }

    [Fact]
    public void An_empty_input_among_several_is_an_input_error_naming_it()
    {
        // An empty shard is most often a failed step upstream: refused as a single empty input is, not passed over.
        using var dir = new TempDir();
        var a = dir.File("a.csv", "x,y\n1,2\n2,4.5\n3,5\n");
        var empty = dir.File("empty.csv", "");
        Expect.Error(Lsq.Run("fit", a, empty), 2, "input/empty-among-inputs", "empty.csv: the input is empty (one of 2 inputs)");
        var grouped = dir.File("g.csv", "g,x,y\na,1,2\na,2,4.5\na,3,5\n");
        var groupedHeader = dir.File("header.csv", "g,x,y\n");
        Expect.Error(Lsq.Run("fit", grouped, groupedHeader, "--by", "g"), 2, "input/no-rows-among-inputs", "header.csv: the input has a header but no data rows (one of 2 inputs)");

        // A splitter's byte ranges may be empty: --partial still writes the partial of the rows there are.
        var partial = Lsq.Run("fit", a, empty, dir.File("header2.csv", "x,y\n"), "--partial");
        Assert.True(partial.Code == 0, partial.Err);
    }

    [Fact]
    public void Error_line_numbers_name_their_file()
    {
        using var dir = new TempDir();
        var a = dir.File("a.csv", "x,y\n1,2\n2,4\n");
        var b = dir.File("b.csv", "x,y\n3,6\n4,oops\n");
        var r = Lsq.Run("fit", a, b);
        Assert.Equal(2, r.Code);
        Assert.Matches(@"^lsq: error: .*b\.csv:3:2: column 'y' holds 'oops'", r.Err);
    }

    [Fact]
    public void Standard_input_may_be_one_of_the_inputs_once()
    {
        using var dir = new TempDir();
        var a = dir.File("a.csv", "x,y\n1,2\n2,4.5\n");
        var r = Lsq.RunWithInput("x,y\n3,6\n4,7.5\n", "fit", a, "-", "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(Json(dir.File("all.csv", "x,y\n1,2\n2,4.5\n3,6\n4,7.5\n")), r.Out);
        Assert.Equal(1, Lsq.Run("fit", "-", "-").Code);
    }
}
