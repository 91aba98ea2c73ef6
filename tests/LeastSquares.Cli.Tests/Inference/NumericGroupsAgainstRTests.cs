using System.Text.Json;
using System.Text.Json.Nodes;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// A numeric --cluster or --by column whose cells write one number two ways (<c>4</c> and <c>4.0</c>)
/// groups by value, as R does once read.csv has read the column as numbers: vcovCL's G and standard
/// errors, and split()'s groups, against tests/reference/r/numeric-groups.json (make-numeric-groups.R).
/// </summary>
public sealed class NumericGroupsAgainstRTests
{
    private static readonly JsonElement Reference =
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "numeric-groups.json"))).RootElement.Clone();

    private static string DataFile => Path.Combine(Lsq.RepoRoot, Reference.GetProperty("data_file").GetString()!);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_numeric_cluster_column_clusters_by_value_as_vcovCL_does(bool stdin)
    {
        var r = Reference.GetProperty("cluster");
        string[] args = ["fit", stdin ? "-" : DataFile, r.GetProperty("formula").GetString()!, "--cluster", "gear", "--summary", "-f", "json"];
        var run = stdin ? Lsq.RunWithInput(File.ReadAllText(DataFile), args) : Lsq.Run(args);
        Assert.True(run.Code == 0, run.Err);
        var fit = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal($"HC1 clustered by gear (G = {r.GetProperty("groups").GetInt32()})", fit.GetProperty("vcov_type").GetString());
        var expected = RReference.Numbers(r.GetProperty("std_error"));
        var ours = fit.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("std_error").GetDouble()).ToArray();
        Assert.Equal(expected.Length, ours.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            RReference.Agrees(expected[j], ours[j], 10, $"std_error[{j}]");
        }

        RReference.Agrees(r.GetProperty("wald_f").GetDouble(), fit.GetProperty("f_statistic").GetDouble(), 10, "Wald F");
    }

    [Theory]
    [InlineData("file", "")]
    [InlineData("stdin", "")]
    [InlineData("file", "--vcov HC1")] // the weighted/robust reader keys its groups too
    public void A_numeric_by_column_splits_by_value_as_split_does(string from, string extra)
    {
        var r = Reference.GetProperty("by");
        string[] args = ["fit", from == "stdin" ? "-" : DataFile, r.GetProperty("formula").GetString()!, "--by", "gear", "-f", "json",
            .. extra.Length == 0 ? Array.Empty<string>() : extra.Split(' ')];
        var run = from == "stdin" ? Lsq.RunWithInput(File.ReadAllText(DataFile), args) : Lsq.Run(args);
        Assert.True(run.Code == 0, run.Err);
        var lines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        var expected = r.GetProperty("groups").EnumerateArray().ToArray();
        Assert.Equal(
            expected.Select(g => g.GetProperty("value").GetString()).Order(StringComparer.Ordinal),
            lines.Select(l => l["group"]!["gear"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        foreach (var g in expected)
        {
            var line = lines.Single(l => l["group"]!["gear"]!.GetValue<string>() == g.GetProperty("value").GetString());
            var estimates = RReference.Numbers(g.GetProperty("estimate"));
            var ours = line["coefficients"]!.AsArray().Select(c => c!["estimate"]!.GetValue<double>()).ToArray();
            Assert.Equal(estimates.Length, ours.Length);
            for (int j = 0; j < estimates.Length; j++)
            {
                RReference.Agrees(estimates[j], ours[j], 10, $"group {g.GetProperty("value")} estimate[{j}]");
            }
        }
    }

    [Fact]
    public void A_saved_grouped_model_predicts_a_row_whose_group_is_written_another_way()
    {
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", DataFile, "mpg ~ wt", "--by", "gear", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var rows = dir.File("new.csv", "wt,gear\n3,4.0\n3,4\n3,3.00\n");
        var predicted = Lsq.Run("predict", "--model", model, rows, "--only");
        Assert.True(predicted.Code == 0, predicted.Err);
        var values = predicted.Out.Trim().Split('\n').Skip(1).ToArray();
        Assert.Equal(3, values.Length);
        Assert.Equal(values[0], values[1]);
        Assert.NotEqual(values[0], values[2]);
    }
}
