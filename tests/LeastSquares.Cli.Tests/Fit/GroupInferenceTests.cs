using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using LeastSquares.Cli.Input;
using static LeastSquares.Cli.Tests.GroupRows;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq fit --by with --weights, --vcov, --cluster and --method sgd, with categorical columns and
/// without: each group's output must be
/// that of its rows fitted alone (filtered here, fitted by a second lsq run), read from a file (the
/// second pass reads it again) or from standard input (the second pass reads the cache).
/// </summary>
public sealed class GroupInferenceTests
{
    /// <summary>Seeded rows of region, x1, x2, a weight, a cluster and y, a different line per region.</summary>
    private static string Data(int rows = 240, int seed = 5, bool gaps = false)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("region,x1,x2,w,cl,y\n");
        for (int i = 0; i < rows; i++)
        {
            int r = random.Next(Regions.Length);
            double x1 = random.NextDouble() * 10, x2 = random.NextDouble() * 5, noise = (random.NextDouble() - 0.5) * (1 + x1);
            double w = random.Next(4) * 0.5; // 0, 0.5, 1, 1.5: zero weights too
            int cl = random.Next(5);
            double y = (r + 1) + (r + 1) * x1 - x2 + noise;
            string x2Cell = gaps && i % 37 == 3 ? "" : x2.ToString("F6", CultureInfo.InvariantCulture);
            sb.Append(CultureInfo.InvariantCulture, $"{Regions[r]},{x1:F6},{x2Cell},{w},{cl},{y:F6}\n");
        }

        return sb.ToString();
    }

    /// <summary>Fits with --by region, from the file and from standard input, and checks each group's line against its rows fitted alone.</summary>
    private static void EachGroupAsAlone(string csv, params string[] options) => EachGroupAsAlone(csv, ["-x", "x1,x2"], options);

    /// <summary>As <see cref="EachGroupAsAlone(string, string[])"/>, the model given by <paramref name="model"/> (a formula, or -x).</summary>
    private static void EachGroupAsAlone(string csv, string[] model, string[] options)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        options = [.. model, .. options];
        var grouped = Lsq.Run(["fit", file, "--by", "region", "-f", "json", .. options]);
        Assert.True(grouped.Code == 0, grouped.Err);
        var lines = Lines(grouped.Out);
        Assert.Equal(Regions.Length, lines.Count);
        foreach (var line in lines)
        {
            var region = line["group"]!["region"]!.GetValue<string>();
            var alone = Lsq.Run(["fit", dir.File(region + ".csv", Only(csv, region)), "-f", "json", .. options]);
            Assert.True(alone.Code == 0, alone.Err);
            line.Remove("group");
            Assert.Equal(alone.Out.TrimEnd(), line.ToJsonString());
        }

        var piped = Lsq.RunWithInput(csv, ["fit", "--by", "region", "-f", "json", .. options]);
        Assert.True(piped.Code == 0, piped.Err);
        Assert.Equal(grouped.Out, piped.Out);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Weights_per_group_equal_each_groups_weighted_fit_alone(string method) =>
        EachGroupAsAlone(Data(), "--weights", "w", "-m", method, "--summary");

    [Theory]
    [InlineData("HC0")]
    [InlineData("HC1")]
    [InlineData("HC2")]
    [InlineData("HC3")]
    public void Robust_errors_per_group_equal_each_groups_alone(string vcov)
    {
        EachGroupAsAlone(Data(), "--vcov", vcov, "--summary");
        EachGroupAsAlone(Data(), "--vcov", vcov, "--weights", "w", "--summary");
    }

    [Theory]
    [InlineData("HC1")]
    [InlineData("HC0")]
    public void Clustered_errors_per_group_equal_each_groups_alone(string vcov) =>
        EachGroupAsAlone(Data(), "--cluster", "cl", "--vcov", vcov, "--weights", "w");

    [Fact]
    public void Skipped_rows_are_counted_per_group_with_weights() =>
        EachGroupAsAlone(Data(gaps: true), "--weights", "w", "--missing", "skip", "--vcov", "HC3");

    [Fact]
    public void Sgd_per_group_equals_each_groups_sgd_fit_alone()
    {
        EachGroupAsAlone(Data(), "-m", "sgd", "--max-iter", "30", "-q");
        EachGroupAsAlone(Data(rows: 90, seed: 9), "-m", "sgd", "--batch-size", "4", "--optimizer", "adam", "--max-iter", "20", "-q");
    }

    [Fact]
    public void Weighted_partials_per_group_merge_to_the_weighted_fit_per_group()
    {
        using var dir = new TempDir();
        var csv = Data();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var a = dir.File("a.csv", string.Join('\n', lines.Take(120)) + "\n");
        var b = dir.File("b.csv", string.Join('\n', lines.Take(1).Concat(lines.Skip(120))) + "\n");
        string[] options = ["--by", "region", "-x", "x1,x2", "--weights", "w"];
        var pa = Lsq.Run(["fit", a, .. options, "--partial"]);
        var pb = Lsq.Run(["fit", b, .. options, "--partial"]);
        Assert.True(pa.Code == 0 && pb.Code == 0, pa.Err + pb.Err);
        var merged = Lsq.RunWithInput(pa.Out + pb.Out, "merge", "-f", "csv", "--wide");
        Assert.True(merged.Code == 0, merged.Err);
        Assert.Equal(Lsq.Run(["fit", dir.File("all.csv", csv), .. options, "-f", "csv", "--wide"]).Out, merged.Out);
    }

    /// <summary>The rows of <see cref="Data"/> but cluster 4 only in the north: a level of the north's model alone.</summary>
    private static string NorthOnlyLevel(string csv) =>
        string.Join('\n', csv.Split('\n').Where(l => !(l.Contains(",4,", StringComparison.Ordinal) && !l.StartsWith("north", StringComparison.Ordinal)))) + "\n";

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Weights_per_group_with_a_categorical_column_equal_each_groups_weighted_fit_alone(string method) =>
        EachGroupAsAlone(NorthOnlyLevel(Data()), ["y ~ x1 + factor(cl)"], ["--weights", "w", "-m", method, "--summary"]);

    [Theory]
    [InlineData("HC0")]
    [InlineData("HC3")]
    public void Robust_errors_per_group_with_a_categorical_column_equal_each_groups_alone(string vcov)
    {
        // Each group's levels are those of its own rows, and its second pass recodes them to its fit's.
        EachGroupAsAlone(NorthOnlyLevel(Data()), ["y ~ x2 + x1:factor(cl)"], ["--vcov", vcov, "--summary"]);
        EachGroupAsAlone(NorthOnlyLevel(Data()), ["y ~ x1 + factor(cl)"], ["--vcov", vcov, "--weights", "w", "--summary"]);
    }

    [Fact]
    public void Clustered_errors_per_group_with_a_categorical_column_equal_each_groups_alone()
    {
        EachGroupAsAlone(NorthOnlyLevel(Data()), ["y ~ x1 + factor(w)"], ["--cluster", "cl", "--vcov", "HC1"]);
        EachGroupAsAlone(NorthOnlyLevel(Data()), ["y ~ x1 + x2 + factor(cl)"], ["--cluster", "cl", "--vcov", "HC0", "--weights", "w"]);
    }

    [Fact]
    public void Sgd_per_group_with_a_categorical_column_equals_each_groups_sgd_fit_alone()
    {
        using var dir = new TempDir();
        // Cluster 4 only in the north: its indicator is a column of the north's model alone.
        var csv = NorthOnlyLevel(Data());
        var file = dir.File("data.csv", csv);
        string[] options = ["y ~ x1 + factor(cl)", "-m", "sgd", "--max-iter", "30", "-q", "-f", "json"];
        var grouped = Lsq.Run(["fit", file, "--by", "region", .. options]);
        Assert.True(grouped.Code == 0, grouped.Err);
        foreach (var line in Lines(grouped.Out))
        {
            var region = line["group"]!["region"]!.GetValue<string>();
            var alone = Lsq.Run(["fit", dir.File(region + ".csv", Only(csv, region)), .. options]);
            line.Remove("group");
            Assert.Equal(alone.Out.TrimEnd(), line.ToJsonString());
        }
    }

    [Fact]
    public void Sgd_per_group_reads_several_files_as_one()
    {
        using var dir = new TempDir();
        var csv = Data();
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var a = dir.File("a.csv", string.Join('\n', lines.Take(100)) + "\n");
        var b = dir.File("b.csv", string.Join('\n', lines.Take(1).Concat(lines.Skip(100))) + "\n");
        string[] options = ["--by", "region", "-x", "x1,x2", "-m", "sgd", "--max-iter", "25", "-q", "-f", "csv", "--wide"];
        var whole = Lsq.Run(["fit", dir.File("all.csv", csv), .. options]);
        Assert.True(whole.Code == 0, whole.Err);
        Assert.Equal(whole.Out, Lsq.Run(["fit", a, b, .. options]).Out);
    }

    [Fact]
    public void A_group_with_one_cluster_gets_the_reason_and_the_others_go_on()
    {
        // Every north row in cluster 7: that group cannot have clustered errors.
        var rows = Data().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.StartsWith("north,", StringComparison.Ordinal) ? string.Join(',', l.Split(',').Select((f, i) => i == 4 ? "7" : f)) : l);
        using var dir = new TempDir();
        var file = dir.File("data.csv", string.Join('\n', rows) + "\n");
        var r = Lsq.Run("fit", file, "--by", "region", "-x", "x1,x2", "--cluster", "cl", "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        var lines = Lines(r.Out);
        var north = lines.Single(l => l["group"]!["region"]!.GetValue<string>() == "north");
        Assert.Contains("holds one group only", north["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, lines.Count(l => l["coefficients"] is not null));

        Expect.Error(Lsq.Run("fit", file, "--by", "region", "-x", "x1,x2", "--cluster", "cl", "-f", "json", "--strict"), 3, "groups/one-cluster-strict",
            "group region='north' cannot be fitted", "--cluster cl: the column holds one group only");
    }

    [Fact]
    public void Each_groups_rows_are_read_back_in_order_across_blocks_and_chunks()
    {
        // Three groups' rows interleaved in chunks of 5 rows, read back in blocks of 7 (chunks of a group are
        // sometimes next to each other in the file, sometimes not).
        const int Width = 2;
        var random = new Random(3);
        var expected = new List<double>[3] { [], [], [] };
        var pending = new List<double>[3] { [], [], [] };
        using var cache = new GroupedRowCache(Width, chunkRows: 5, blockRows: 7);
        for (int i = 0; i < 400; i++)
        {
            int g = random.Next(10) < 6 ? 0 : random.Next(1, 3);
            double[] row = [i, g];
            expected[g].AddRange(row);
            pending[g].AddRange(row);
            if (pending[g].Count == 5 * Width)
            {
                cache.Append(g, pending[g].ToArray(), 5);
                pending[g].Clear();
            }
        }

        for (int g = 0; g < 3; g++)
        {
            cache.Append(g, pending[g].ToArray(), pending[g].Count / Width);
        }

        for (int g = 0; g < 3; g++)
        {
            IRowBlocks rows = cache.Rows(g);
            Assert.Equal(expected[g].Count / Width, rows.Count);
            var read = new List<double>();
            var block = new double[rows.BlockRows * Width];
            for (int b = 0; b < rows.BlockCount; b++)
            {
                int n = rows.Read(b, block);
                read.AddRange(block.Take(n * Width));
            }

            Assert.Equal(expected[g], read);
        }
    }
}
