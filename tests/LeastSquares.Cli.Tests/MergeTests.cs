using System.Globalization;
using System.Text.Json;
using Xunit.Abstractions;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq fit --partial + lsq merge give the numbers of one lsq fit over all rows, whatever the split,
/// order and grouping of the parts.
/// </summary>
public sealed class MergeTests(ITestOutputHelper output)
{
    public static TheoryData<string, int> NistSplits()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in NistFiles.Names)
        {
            foreach (var k in new[] { 2, 3, 7 })
            {
                data.Add(name, k);
            }
        }

        return data;
    }

    [SkippableTheory]
    [MemberData(nameof(NistSplits))]
    public void Nist_set_split_and_merged_matches_one_fit_and_the_certified_values(string name, int k)
    {
        var set = NistFiles.Load(name);
        using var dir = new TempDir();
        var whole = dir.File("whole.csv", set.Header + "\n" + string.Join("\n", set.Rows) + "\n");
        var single = SplitFit.Json(Lsq.Run(["fit", whole, .. set.Model, "-f", "json", "--summary"]));
        var sizes = SplitFit.Sizes(set.Rows.Length, k);
        var partials = SplitFit.Partials(dir, set.Header, set.Rows, sizes, set.Model);

        foreach (var (how, merged) in SplitFit.MergedFits(dir, partials, []))
        {
            Assert.Equal(set.Rows.Length, merged.GetProperty("n").GetInt64());
            var reference = SplitFit.Numbers(single).ToArray();
            var actual = SplitFit.Numbers(merged).ToArray();
            Assert.Equal(reference.Select(r => r.What), actual.Select(a => a.What));
            var vsSingle = actual.Zip(reference, (a, r) => (a.What, Lre: SplitFit.Lre(a.Value, r.Value))).MinBy(x => x.Lre);

            var coefficients = merged.GetProperty("coefficients").EnumerateArray().ToArray();
            var vsCertified = new List<(string What, double Lre)>();
            for (int j = 0; j < set.Estimates.Length; j++)
            {
                vsCertified.Add(($"B{j} estimate", SplitFit.Lre(coefficients[j].GetProperty("estimate").GetDouble(), SplitFit.Parse(set.Estimates[j]))));
                vsCertified.Add(($"B{j} std_dev", SplitFit.Lre(coefficients[j].GetProperty("std_error").GetDouble(), SplitFit.Parse(set.StdDevs[j]))));
            }

            vsCertified.Add(("residual_sd", SplitFit.Lre(merged.GetProperty("residual_std_error").GetDouble(), SplitFit.Parse(set.ResidualSd))));
            vsCertified.Add(("r_squared", SplitFit.Lre(merged.GetProperty("r_squared").GetDouble(), SplitFit.Parse(set.RSquared))));
            var worst = vsCertified.MinBy(x => x.Lre);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} k={k} parts [{string.Join(" ", sizes)}] {how}: LRE vs one fit {vsSingle.Lre:F1} ({vsSingle.What}), vs certified {worst.Lre:F1} ({worst.What})"));
            Assert.True(vsSingle.Lre >= 12, $"{name}, {k} parts, {how}: {vsSingle.What} agrees with one fit to LRE {vsSingle.Lre:F2} < 12");
            Assert.True(worst.Lre >= 12, $"{name}, {k} parts, {how}: {worst.What} agrees with NIST to LRE {worst.Lre:F2} < 12");
        }
    }

    /// <summary>Seeded rows with a timestamp-like predictor near 1.7e9; y depends on t − 1.7e9.</summary>
    private static (string Header, string[] Rows) Shifted(int n, int seed)
    {
        var rng = new Random(seed);
        var rows = new string[n];
        for (int i = 0; i < n; i++)
        {
            double dt = rng.NextDouble() * 86400 * 30;
            double t = 1.7e9 + Math.Round(dt);
            double u = rng.NextDouble() * 4 - 2;
            double y = 12.5 + 2e-6 * (t - 1.7e9) - 3e-12 * Math.Pow(t - 1.7e9, 2) + 0.75 * u + (rng.NextDouble() - 0.5);
            rows[i] = string.Create(CultureInfo.InvariantCulture, $"{t:R},{u:R},{y:R}");
        }

        return ("t,u,y", rows);
    }

    [Theory]
    [InlineData(2, "linear")]
    [InlineData(3, "linear")]
    [InlineData(7, "linear")]
    [InlineData(2, "cubic")]
    [InlineData(3, "cubic")]
    [InlineData(7, "cubic")]
    public void Shifted_predictor_split_and_merged_matches_one_fit(int k, string model)
    {
        var (header, rows) = Shifted(1000, 20240 + k);
        // The cubic in t alone exercises the merge of parts with different polynomial centres.
        string[] args = model == "cubic" ? ["-x", "t", "-y", "y", "--degree", "3"] : ["-x", "t,u", "-y", "y"];
        using var dir = new TempDir();
        var whole = dir.File("whole.csv", header + "\n" + string.Join("\n", rows) + "\n");
        var single = SplitFit.Json(Lsq.Run(["fit", whole, .. args, "-f", "json", "--summary"]));
        var partials = SplitFit.Partials(dir, header, rows, SplitFit.Sizes(rows.Length, k), args);
        foreach (var (how, merged) in SplitFit.MergedFits(dir, partials, []))
        {
            var worst = SplitFit.Numbers(merged).Zip(SplitFit.Numbers(single), (a, r) => (a.What, Lre: SplitFit.Lre(a.Value, r.Value)))
                .MinBy(x => x.Lre);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{model} k={k} {how}: LRE vs one fit {worst.Lre:F1} ({worst.What})"));
            Assert.True(worst.Lre >= 12, $"{model}, {k} parts, {how}: {worst.What} has LRE {worst.Lre:F2} < 12");
        }
    }

    [Fact]
    public void Gradient_descent_runs_on_merged_partials()
    {
        var (header, rows) = Shifted(500, 7);
        string[] model = ["-x", "t,u", "-y", "y"];
        using var dir = new TempDir();
        var whole = dir.File("whole.csv", header + "\n" + string.Join("\n", rows) + "\n");
        var exact = SplitFit.Json(Lsq.Run(["fit", whole, .. model, "-f", "json"]));
        var partials = SplitFit.Partials(dir, header, rows, SplitFit.Sizes(rows.Length, 3), model);
        var gd = SplitFit.Json(Lsq.Run(["merge", .. partials, "-f", "json", "--method", "gd", "--tol", "1e-13", "--max-iter", "100000"]));
        Assert.Equal("gd", gd.GetProperty("method").GetString());
        Assert.True(gd.GetProperty("converged").GetBoolean());
        var estimates = gd.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble());
        var reference = exact.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble());
        foreach (var (a, r) in estimates.Zip(reference))
        {
            Assert.True(SplitFit.Lre(a, r) >= 8, $"gd on merged partials gave {a}, the exact fit {r}");
        }
    }

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
        var (header, rows) = Shifted(200, 3);
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

        var unnamed = Lsq.RunWithInput("", "fit", "--partial");
        Assert.Equal(2, unnamed.Code);
        Assert.Equal("lsq: error: <stdin>: the input is empty, so there is no header to name the model's columns. Name them with --features and --target (by number with --no-header) so that an empty part still writes a partial of the right model.\n", unnamed.Err);
    }

    [Fact]
    public void Zero_rows_in_all_is_too_few_rows_for_a_fit()
    {
        var empty = Lsq.RunWithInput("x,y\n", "fit", "--partial");
        var r = Lsq.RunWithInput(empty.Out + empty.Out, "merge");
        Assert.Equal(3, r.Code);
        Assert.StartsWith("lsq: error: ", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Skipped_rows_are_carried_through_the_merge()
    {
        var a = Lsq.RunWithInput("x,y\n1,2\n2,\n3,7\n", "fit", "--partial", "--missing", "skip", "-q");
        var b = Lsq.RunWithInput("x,y\n4,8\n,1\n5,11\n", "fit", "--partial", "--missing", "skip", "-q");
        var merged = Lsq.RunWithInput(a.Out + b.Out, "merge", "-f", "json");
        Assert.Equal(0, merged.Code);
        Assert.Equal("lsq: warning: skipped 2 rows of the partials' inputs with missing values (--missing skip).\n", merged.Err);
        using var doc = JsonDocument.Parse(merged.Out);
        Assert.Equal(2, doc.RootElement.GetProperty("skipped_rows").GetInt64());
        Assert.Equal(4, doc.RootElement.GetProperty("n").GetInt64());
    }

    [Fact]
    public void No_partials_is_an_error_for_a_fit_and_nothing_for_a_partial()
    {
        var fit = Lsq.RunWithInput("\n", "merge");
        Assert.Equal(2, fit.Code);
        Assert.Equal("lsq: error: no partials to merge: <stdin> held no lines. Pass the files that 'lsq fit --partial' wrote, or pipe them in, one per line.\n", fit.Err);
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

    [Fact]
    public void Merge_help_is_stable()
    {
        var r = Lsq.Run("merge", "--help");
        Assert.Equal(0, r.Code);
        Golden.Match("help-merge.txt", r.Out);
    }
}
