using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq fit --partial + lsq merge: the formats, empty parts, skipped rows and the lines a reducer
/// is handed (the agreement with one fit is in Accuracy/MergeAccuracyTests).
/// </summary>
public sealed class MergeTests
{
    [Fact]
    public void Merged_output_has_every_format_of_fit()
    {
        using var dir = new TempDir();
        var partial = Path.Combine(dir.Path, "all.partial");
        Assert.Equal(0, Lsq.Run("fit", Lsq.Sample("linear.csv"), "--partial", "-o", partial).Code);
        foreach (var format in new[] { "table", "json", "csv" })
        {
            var fit = Lsq.Run("fit", Lsq.Sample("linear.csv"), "-f", format, "--summary");
            var merged = Lsq.Run("merge", partial, "-f", format, "--summary");
            Assert.Equal(0, merged.Code);
            Assert.Equal(fit.Out, merged.Out);
        }

        var written = Path.Combine(dir.Path, "fit.txt");
        var quiet = Lsq.Run("merge", partial, "-o", written, "-q");
        Assert.Equal(("", ""), (quiet.Out, quiet.Err));
        Assert.Equal(Lsq.Run("fit", Lsq.Sample("linear.csv")).Out, File.ReadAllText(written));
    }

    [Fact]
    public void Merging_one_partial_gives_it_back_unchanged()
    {
        var partial = Lsq.Run("fit", Lsq.Sample("multi.csv"), "--partial");
        Assert.Equal(0, partial.Code);
        var again = Lsq.RunWithInput(partial.Out, "merge", "--partial");
        Assert.Equal(partial.Out, again.Out);
    }

    [Fact]
    public void Header_only_part_is_a_partial_of_zero_rows_that_changes_nothing()
    {
        using var dir = new TempDir();
        var (header, rows) = SeededRows.Shifted(200, 3);
        string[] model = ["-x", "t", "-y", "y", "--degree", "3"];
        var empty = Lsq.Run(["fit", dir.File("empty.csv", header + "\n"), "--partial", .. model]);
        Assert.Equal(0, empty.Code);
        using (var doc = JsonDocument.Parse(empty.Out))
        {
            Assert.Equal(0, doc.RootElement.GetProperty("n").GetInt64());
        }

        var full = Lsq.Run(["fit", dir.File("full.csv", header + "\n" + string.Join("\n", rows) + "\n"), "--partial", .. model]);
        var alone = Lsq.RunWithInput(full.Out, "merge", "-f", "json");
        // Empty parts first, last and in between; polynomial centres must not move to the empty part's 0.
        var mixed = Lsq.RunWithInput(empty.Out + full.Out + empty.Out, "merge", "-f", "json");
        var emptyFirst = Lsq.RunWithInput(empty.Out + empty.Out + full.Out, "merge", "-f", "json");
        Assert.Equal(alone.Out, mixed.Out);
        Assert.Equal(alone.Out, emptyFirst.Out);
    }

    [Fact]
    public void Empty_input_is_a_zero_row_partial_when_the_options_name_the_model()
    {
        var named = Lsq.RunWithInput("", "fit", "--partial", "-x", "a,b", "-y", "c");
        Assert.Equal(0, named.Code);
        Assert.Contains("\"predictors\":[\"a\",\"b\"],\"target\":\"c\"", named.Out, StringComparison.Ordinal);
        Assert.Contains("\"n\":0,", named.Out, StringComparison.Ordinal);

        var numbered = Lsq.RunWithInput("", "fit", "--partial", "--no-header", "-x", "1", "-y", "2");
        Assert.Equal(0, numbered.Code);
        var nonEmpty = Lsq.RunWithInput("1,2\n2,3.5\n3,3.9\n", "fit", "--partial", "--no-header", "-x", "1", "-y", "2");
        var merged = Lsq.RunWithInput(numbered.Out + nonEmpty.Out, "merge", "-f", "csv");
        Assert.Equal(0, merged.Code);
        Assert.Equal(Lsq.RunWithInput("1,2\n2,3.5\n3,3.9\n", "fit", "--no-header", "-x", "1", "-y", "2", "-f", "csv").Out, merged.Out);
    }

    [Fact]
    public void Skipped_rows_are_carried_through_the_merge()
    {
        var a = Lsq.RunWithInput("x,y\n1,2\n2,\n3,7\n", "fit", "--partial", "--missing", "skip", "-q");
        var b = Lsq.RunWithInput("x,y\n4,8\n,1\n5,11\n", "fit", "--partial", "--missing", "skip", "-q");
        var merged = Lsq.RunWithInput(a.Out + b.Out, "merge", "-f", "json");
        Assert.Equal(0, merged.Code);
        Assert.Equal("lsq: warning: skipped 2 rows of the partials' inputs with empty cells (--missing skip).\n", merged.Err);
        using var doc = JsonDocument.Parse(merged.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("skipped_rows").GetInt64());
        Assert.Equal(4, doc.RootElement.GetProperty("n").GetInt64());
    }

    [Fact]
    public void No_partials_is_nothing_for_a_partial()
    {
        // (and an error for a fit: MergeErrorTests.No_partials_on_standard_input)
        var partial = Lsq.RunWithInput("", "merge", "--partial");
        Assert.Equal((0, ""), (partial.Code, partial.Out));
        Assert.Equal("lsq: warning: <stdin> held no partials, so --partial writes nothing (an empty part of a tree reduction); the final 'lsq merge' needs at least one.\n", partial.Err);
    }

    [Fact]
    public void Lines_as_Hadoop_streaming_hands_them_to_a_reducer_are_read()
    {
        // A mapper line without a tab becomes the key; the reducer gets it followed by a tab, CRLF endings may appear.
        var partial = Lsq.Run("fit", Lsq.Sample("linear.csv"), "--partial").Out.TrimEnd('\n');
        var r = Lsq.RunWithInput(partial + "\t\r\n" + partial + "\t\n", "merge", "--partial");
        Assert.Equal(0, r.Code);
        using var doc = JsonDocument.Parse(r.Out);
        Assert.Equal(200, doc.RootElement.GetProperty("n").GetInt64());
    }

    [Fact]
    public void The_sample_partials_are_what_fit_partial_writes_for_the_two_halves_of_linear_csv()
    {
        var lines = File.ReadAllLines(Lsq.Sample("linear.csv"));
        using var dir = new TempDir();
        var halves = new[] { lines[1..51], lines[51..] };
        for (int h = 0; h < 2; h++)
        {
            var part = dir.File($"half{h}.csv", lines[0] + "\n" + string.Concat(halves[h].Select(l => l + "\n")));
            var r = Lsq.Run("fit", part, "--partial");
            Assert.Equal(File.ReadAllText(Lsq.Sample($"linear-{h + 1}.partial")), r.Out);
        }
    }

}
