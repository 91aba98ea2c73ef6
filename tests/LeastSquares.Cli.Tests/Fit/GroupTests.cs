using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeastSquares.Cli.Input;
using static LeastSquares.Cli.Tests.GroupRows;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// lsq fit --by: one model per group in one pass. Each group's fit must be the fit of that
/// group's rows alone (filtered here, fitted by a second lsq run), whatever path read the file.
/// </summary>
public sealed class GroupTests
{
    /// <summary>Seeded rows of region, x1, x2, y with a different line per region, and a fourth region of one row.</summary>
    private static string Data(int rows = 300, int seed = 1, bool tiny = true)
    {
        var random = new Random(seed);
        var sb = new StringBuilder("region,x1,x2,y\n");
        for (int i = 0; i < rows; i++)
        {
            int r = random.Next(Regions.Length);
            double x1 = random.NextDouble() * 10, x2 = random.NextDouble() * 5, noise = random.NextDouble() - 0.5;
            double y = (r + 1) + (r + 1) * x1 - x2 + noise;
            sb.Append(CultureInfo.InvariantCulture, $"{Regions[r]},{x1:F6},{x2:F6},{y:F6}\n");
        }

        if (tiny)
        {
            sb.Append("west,1,2,3\n");
        }

        return sb.ToString();
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    [InlineData("gd")]
    public void Each_group_equals_the_fit_of_its_rows_alone(string method)
    {
        using var dir = new TempDir();
        var csv = Data(tiny: false);
        var file = dir.File("data.csv", csv);
        var grouped = Lsq.Run("fit", file, "--by", "region", "-m", method, "--summary", "-f", "json");
        Assert.Equal(0, grouped.Code);
        var lines = Lines(grouped.Out);
        Assert.Equal(Regions.Length, lines.Count);
        foreach (var line in lines)
        {
            var region = line["group"]!["region"]!.GetValue<string>();
            var alone = Lsq.Run("fit", dir.File(region + ".csv", Only(csv, region)), "-x", "x1,x2", "-m", method, "--summary", "-f", "json");
            Assert.Equal(0, alone.Code);
            line.Remove("group");
            Assert.Equal(alone.Out.TrimEnd(), line.ToJsonString());
        }

        // Groups come in the order of their first row.
        var first = csv.Split('\n').Skip(1).Select(l => l.Split(',')[0]).Where(r => r.Length > 0).Distinct().ToArray();
        Assert.Equal(first, Lines(grouped.Out).Select(l => l["group"]!["region"]!.GetValue<string>()));
    }

    [Fact]
    public void A_formula_with_by_fits_each_group_as_its_rows_alone()
    {
        using var dir = new TempDir();
        var csv = Data(tiny: false);
        var file = dir.File("data.csv", csv);
        var grouped = Lsq.Run("fit", file, "y ~ x1 + log(x2)", "--by", "region", "-f", "json");
        Assert.Equal(0, grouped.Code);
        foreach (var line in Lines(grouped.Out))
        {
            var region = line["group"]!["region"]!.GetValue<string>();
            var alone = Lsq.Run("fit", dir.File(region + ".csv", Only(csv, region)), "y ~ x1 + log(x2)", "-f", "json");
            line.Remove("group");
            Assert.Equal(alone.Out.TrimEnd(), line.ToJsonString());
        }
    }

    [Fact]
    public void A_penalized_fit_with_by_fits_each_group_as_its_rows_alone()
    {
        using var dir = new TempDir();
        var csv = Data(tiny: false);
        var file = dir.File("data.csv", csv);
        string[] penalty = ["--penalty", "elasticnet", "--lambda", "0.05", "--l1-ratio", "0.5", "-f", "json"];
        var grouped = Lsq.Run(["fit", file, "--by", "region", .. penalty]);
        Assert.Equal(0, grouped.Code);
        foreach (var line in Lines(grouped.Out))
        {
            var region = line["group"]!["region"]!.GetValue<string>();
            var alone = Lsq.Run(["fit", dir.File(region + ".csv", Only(csv, region)), "-x", "x1,x2", .. penalty]);
            line.Remove("group");
            Assert.Equal(alone.Out.TrimEnd(), line.ToJsonString());
        }
    }

    [Fact]
    public void A_group_too_small_gets_an_error_and_the_run_goes_on()
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", Data());
        var r = Lsq.Run("fit", file, "--by", "region", "-f", "json");
        Assert.Equal(0, r.Code);
        var west = Lines(r.Out).Single(l => l["group"]!["region"]!.GetValue<string>() == "west");
        Assert.Equal(1, west["n"]!.GetValue<long>());
        Assert.Contains("1 data row but the model has 3 coefficients", west["error"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(4, Lines(r.Out).Count);

        // stderr says so as well (output sent to a file must not hide it), and -q keeps it quiet.
        Assert.StartsWith("lsq: warning: group region='west' was not fitted: 1 data row but the model has 3 coefficients", r.Err, StringComparison.Ordinal);
        Assert.Equal("", Lsq.Run("fit", file, "--by", "region", "-f", "json", "-q").Err);
    }

    [Fact]
    public void Parallel_read_stdin_gzip_and_several_files_equal_the_sequential_read()
    {
        using var dir = new TempDir();
        var csv = Data(rows: 40_000, seed: 7);
        var file = dir.File("big.csv", csv);
        string[] args = ["--by", "region", "--summary", "-f", "json"];
        var sequential = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 1 } }, ["fit", file, .. args]);
        Assert.Equal(0, sequential.Code);
        var parallel = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 3, MinBytes = 0, PartBytes = 64 << 10 } }, ["fit", file, .. args]);
        Assert.Equal(sequential.Out, parallel.Out);
        Assert.Equal(sequential.Out, Lsq.RunWithInput(csv, ["fit", .. args]).Out);

        var gz = Path.Combine(dir.Path, "big.csv.gz");
        using (var output = new GZipStream(File.Create(gz), CompressionLevel.Fastest))
        {
            output.Write(Encoding.UTF8.GetBytes(csv));
        }

        Assert.Equal(sequential.Out, Lsq.Run(["fit", gz, .. args]).Out);

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var a = dir.File("a.csv", string.Join('\n', lines.Take(20_000)) + "\n");
        var b = dir.File("b.csv", lines[0] + "\n" + string.Join('\n', lines.Skip(20_000)) + "\n");
        Assert.Equal(sequential.Out, Lsq.Run(["fit", a, b, .. args]).Out);
    }

    [Fact]
    public void Merge_of_partials_is_merged_per_group()
    {
        using var dir = new TempDir();
        var csv = Data(rows: 600, seed: 3);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var a = dir.File("a.csv", string.Join('\n', lines.Take(200)) + "\n");
        var b = dir.File("b.csv", lines[0] + "\n" + string.Join('\n', lines.Skip(200)) + "\n");
        var pa = Lsq.Run("fit", a, "--by", "region", "--partial");
        var pb = Lsq.Run("fit", b, "--by", "region", "--partial");
        Assert.Equal(0, pa.Code);
        var partials = dir.File("p.jsonl", pa.Out + pb.Out);
        var merged = Lsq.Run("merge", partials, "--summary", "-f", "json");
        var whole = Lsq.Run("fit", dir.File("all.csv", csv), "--by", "region", "--summary", "-f", "json");
        Assert.Equal(0, merged.Code);
        Assert.Equal(whole.Out, merged.Out);

        // A tree reduction: merge --partial keeps one line per group.
        var again = Lsq.Run("merge", partials, "--partial");
        Assert.Equal(Regions.Length + 1, again.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.Equal(whole.Out, Lsq.Run("merge", dir.File("q.jsonl", again.Out), "--summary", "-f", "json").Out);
    }

    [Fact]
    public void Predict_with_a_model_per_group_uses_each_rows_group()
    {
        using var dir = new TempDir();
        var csv = Data(tiny: false);
        var file = dir.File("data.csv", csv);
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", file, "--by", "region", "--save", model).Code);
        var predicted = Lsq.Run("predict", file, "--model", model, "--only");
        Assert.Equal(0, predicted.Code);
        var values = predicted.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray();
        var regions = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[0]).ToArray();
        Assert.Equal(regions.Length, values.Length);
        foreach (var region in Regions)
        {
            var alone = Path.Combine(dir.Path, region + ".json");
            var rows = dir.File(region + ".csv", Only(csv, region));
            Assert.Equal(0, Lsq.Run("fit", rows, "-x", "x1,x2", "--save", alone).Code);
            var expected = Lsq.Run("predict", rows, "--model", alone, "--only").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1);
            Assert.Equal(expected, values.Where((_, i) => regions[i] == region));
        }
    }

    [Fact]
    public void Csv_and_tsv_put_the_group_first_and_wide_gives_a_row_per_group()
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", Data());
        var csv = Lsq.Run("fit", file, "--by", "region", "-f", "csv").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("region,term,estimate,error", csv[0]);
        Assert.Equal(3 * 3 + 1 + 1, csv.Length); // three terms for each of three groups, the failed group's row, the header
        Assert.All(csv.Skip(1), l => Assert.Contains(l.Split(',')[0], Regions.Append("west")));
        Assert.StartsWith("west,,,", csv[^1], StringComparison.Ordinal);

        var tsv = Lsq.Run("fit", file, "--by", "region", "-f", "tsv", "--wide").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("region\tn\tmse\trmse\tr_squared\tadj_r_squared\t(intercept)\tx1\tx2\terror", tsv[0]);
        Assert.Equal(5, tsv.Length);
        var north = JsonNode.Parse(Lines(Lsq.Run("fit", file, "--by", "region", "-f", "json").Out).First(l => l["group"]!["region"]!.GetValue<string>() == "north").ToJsonString())!;
        var row = tsv.Single(l => l.StartsWith("north\t", StringComparison.Ordinal)).Split('\t');
        Assert.Equal(north["n"]!.GetValue<long>().ToString(CultureInfo.InvariantCulture), row[1]);
        Assert.Equal(north["coefficients"]![1]!["estimate"]!.GetValue<double>(), double.Parse(row[7], CultureInfo.InvariantCulture));
        Assert.Equal("", row[^1]);

        var table = Lsq.Run("fit", file, "--by", "region").Out;
        Assert.Equal(4, table.Split("== region = ", StringSplitOptions.None).Length - 1);
    }

    [Fact]
    public void Wide_and_tsv_without_by_are_one_fit_in_another_shape()
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", Only(Data(), "north"));
        var csv = Lsq.Run("fit", file, "-x", "x1,x2", "-f", "csv").Out;
        var tsv = Lsq.Run("fit", file, "-x", "x1,x2", "-f", "tsv").Out;
        Assert.Equal(csv.Replace(',', '\t'), tsv);
        var wide = Lsq.Run("fit", file, "-x", "x1,x2", "-f", "csv", "--wide").Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("n,mse,rmse,r_squared,adj_r_squared,(intercept),x1,x2", wide[0]);
        var estimates = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')[1]);
        Assert.Equal(estimates, wide[1].Split(',')[5..]);
    }

    [Fact]
    public void Predict_keeps_a_tsv_inputs_delimiter()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        Assert.Equal(0, Lsq.Run("fit", dir.File("d.csv", "x,y\n1,2\n2,4\n3,6.5\n"), "--save", model).Code);
        var r = Lsq.Run("predict", dir.File("d.tsv", "x\ty\n1\t2\n"), "--model", model);
        Assert.Equal(0, r.Code);
        Assert.StartsWith("x\ty\tprediction\n1\t2\t", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_group_cell_follows_missing_skip()
    {
        using var dir = new TempDir();
        var csv = Data(tiny: false) + ",1,2,3\nNA,2,3,4\n";
        var r = Lsq.Run("fit", dir.File("data.csv", csv), "--by", "region", "--missing", "skip", "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Contains("2 rows", r.Err, StringComparison.Ordinal);
        Assert.Equal(Regions.Length, Lines(r.Out).Count);
    }

    [SkippableFact]
    public void One_predictor_per_group_agrees_with_miller_stats2()
    {
        var mlr = new[] { "/usr/bin/mlr", "/usr/local/bin/mlr" }.FirstOrDefault(File.Exists);
        Skip.If(mlr is null, "Miller (mlr) is not installed: apt-get install miller (.ci/run does) to compare with 'mlr stats2 -a linreg-ols -g'.");
        using var dir = new TempDir();
        var file = dir.File("data.csv", Data(rows: 500, seed: 11, tiny: false));
        var ours = Lines(Lsq.Run("fit", file, "--by", "region", "-x", "x1", "-y", "y", "-f", "json").Out);
        var psi = new System.Diagnostics.ProcessStartInfo(mlr!, ["--icsv", "--ojson", "stats2", "-a", "linreg-ols", "-f", "x1,y", "-g", "region", file])
        {
            RedirectStandardOutput = true,
        };
        using var process = System.Diagnostics.Process.Start(psi)!;
        var theirs = JsonNode.Parse(process.StandardOutput.ReadToEnd())!.AsArray();
        process.WaitForExit();
        Assert.Equal(ours.Count, theirs.Count);
        foreach (var line in ours)
        {
            var region = line["group"]!["region"]!.GetValue<string>();
            var miller = theirs.Single(t => t!["region"]!.GetValue<string>() == region)!;
            double slope = line["coefficients"]![1]!["estimate"]!.GetValue<double>();
            double intercept = line["coefficients"]![0]!["estimate"]!.GetValue<double>();
            Assert.Equal(miller["x1_y_ols_n"]!.GetValue<long>(), line["n"]!.GetValue<long>());
            Assert.Equal(miller["x1_y_ols_m"]!.GetValue<double>(), slope, 1e-9 * Math.Abs(slope));
            Assert.Equal(miller["x1_y_ols_b"]!.GetValue<double>(), intercept, 1e-9 * Math.Abs(intercept));
        }
    }
}
