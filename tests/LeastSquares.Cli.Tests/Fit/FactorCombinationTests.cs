using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Tests.Inference;
using static LeastSquares.Cli.Tests.GroupRows;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Categorical columns with the options that read rows in other ways: --lambda auto and a fixed
/// λ against glmnet on R's model matrix (tests/reference/r/cv.json), and --by, where each group's
/// model has the levels of its own rows, as lm on the group's rows alone has them.
/// </summary>
public sealed class FactorCombinationTests
{
    private static readonly JsonElement Cv = JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "cv.json"))).RootElement;

    private static JsonElement CvCase(string id) => Cv.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static string CvData => Path.Combine(Lsq.RepoRoot, Cv.GetProperty("data_file").GetString()!);

    private static string[] Penalty(JsonElement c) => c.GetProperty("alpha").GetDouble() == 1 ? ["--penalty", "lasso"] : throw new ArgumentException("lasso cases only");

    private static string RoundTrip(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("iris_lasso")]
    [InlineData("iris_lasso_petal_width")]
    [InlineData("iris_lasso_interaction")]
    public void Lambda_auto_with_factors_agrees_with_cv_glmnet_on_the_model_matrix(string id)
    {
        var c = CvCase(id);
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "path.csv");
        var r = Lsq.Run(["fit", CvData, c.GetProperty("formula").GetString()!, .. Penalty(c), "--lambda", "auto", "--fold-column", "fold",
            "--path", path, "-f", "json", "-q"]);
        Assert.True(r.Code == 0, r.Err);
        var fit = JsonDocument.Parse(r.Out).RootElement;
        var names = c.GetProperty("names").EnumerateArray().Select(e => e.GetString()!).ToArray();
        var terms = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(names.Skip(1), terms.Skip(1).Select(t => t.GetProperty("term").GetString()));

        // The same λ path, the same held-out error and its standard error at every λ.
        var lines = File.ReadAllLines(path).Skip(1).Select(l => l.Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray();
        var lambda = RReference.Numbers(c.GetProperty("lambda"));
        var cvm = RReference.Numbers(c.GetProperty("cvm"));
        var cvsd = RReference.Numbers(c.GetProperty("cvsd"));
        Assert.Equal(lambda.Length, lines.Length);
        for (int k = 0; k < lambda.Length; k++)
        {
            RReference.Agrees(lambda[k], lines[k][0], 12, $"{id} lambda[{k}]");
            RReference.Agrees(cvm[k], lines[k][2], 6, $"{id} cv_mse[{k}]");
            RReference.Agrees(cvsd[k], lines[k][3], 5, $"{id} cv_se[{k}]");
        }

        RReference.Agrees(c.GetProperty("lambda_min").GetDouble(), fit.GetProperty("lambda_min").GetDouble(), 12, id + " lambda.min");
        RReference.Agrees(c.GetProperty("lambda_1se").GetDouble(), fit.GetProperty("lambda_1se").GetDouble(), 12, id + " lambda.1se");
        AssertCoefficients(RReference.Numbers(c.GetProperty("coef_min")), terms, id + " at lambda.min");
    }

    [Theory]
    [InlineData("iris_lasso")]
    [InlineData("iris_lasso_petal_width")]
    [InlineData("iris_lasso_interaction")]
    public void A_fixed_lambda_with_factors_agrees_with_glmnet(string id)
    {
        var c = CvCase(id);
        var r = Lsq.Run(["fit", CvData, c.GetProperty("formula").GetString()!, .. Penalty(c), "--lambda", RoundTrip(c.GetProperty("fixed_lambda").GetDouble()),
            "-f", "json"]);
        Assert.True(r.Code == 0, r.Err);
        var terms = JsonDocument.Parse(r.Out).RootElement.GetProperty("coefficients").EnumerateArray().ToArray();
        AssertCoefficients(RReference.Numbers(c.GetProperty("coef_fixed")), terms, id + " fixed");
    }

    /// <summary>glmnet's coordinate descent stops at thresh = 1e-16 of the null deviance: 5 digits or more on these; an exact zero must be one.</summary>
    private static void AssertCoefficients(double[] expected, JsonElement[] terms, string what)
    {
        Assert.Equal(expected.Length, terms.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            double ours = terms[j].GetProperty("estimate").GetDouble();
            if (expected[j] == 0)
            {
                Assert.True(ours == 0, $"{what} coefficient {j}: glmnet's is 0, lsq's {ours}");
            }
            else
            {
                RReference.Agrees(expected[j], ours, 5, $"{what} coefficient {j}");
            }
        }
    }

    [Fact]
    public void Hashed_folds_with_factors_equal_a_fold_column_holding_the_same_folds()
    {
        // The hashed folds share the reader's level codes; a fold column reads them the same way.
        var lines = File.ReadAllLines(CvData);
        using var dir = new TempDir();
        var file = dir.File("folds.csv", string.Join('\n', lines.Select((l, i) => i == 0 ? l + ",\"hashed\"" : $"{l},{RowState.FoldOf(i - 1, 3, 4)}")) + "\n");
        string[] model = [file, "Sepal.Length ~ Petal.Length * Species", "--penalty", "lasso", "--lambda", "auto", "--n-lambda", "30", "-f", "json"];
        var hashed = Lsq.Run(["fit", .. model, "--folds", "4", "--seed", "3"]);
        var column = Lsq.Run(["fit", .. model, "--fold-column", "hashed"]);
        Assert.True(hashed.Code == 0 && column.Code == 0, hashed.Err + column.Err);
        var a = JsonDocument.Parse(hashed.Out).RootElement;
        var b = JsonDocument.Parse(column.Out).RootElement;
        Assert.Equal(a.GetProperty("lambda_min").GetDouble(), b.GetProperty("lambda_min").GetDouble());
        var pa = a.GetProperty("path").EnumerateArray().ToArray();
        var pb = b.GetProperty("path").EnumerateArray().ToArray();
        Assert.Equal(30, pa.Length);
        for (int k = 0; k < pa.Length; k++)
        {
            RReference.Agrees(pa[k].GetProperty("cv_mse").GetDouble(), pb[k].GetProperty("cv_mse").GetDouble(), 12, $"cv_mse[{k}]");
        }
    }

    /// <summary>
    /// Seeded rows of region, kind, k, x, y where each region has levels of its own: north a b c,
    /// south b c (no a), east a c d (d only there); k is a numeric code for factor(k).
    /// </summary>
    private static string Data(int rows = 400)
    {
        string[] regions = ["north", "south", "east"];
        string[][] kinds = [["c", "a", "b"], ["b", "c"], ["d", "a", "c"]];
        var random = new Random(5);
        var sb = new StringBuilder("region,kind,k,x,y\n");
        for (int i = 0; i < rows; i++)
        {
            int r = random.Next(regions.Length);
            var kind = kinds[r][random.Next(kinds[r].Length)];
            int k = 1 + random.Next(r == 1 ? 2 : 3);
            double x = random.NextDouble() * 10;
            double y = r + (kind[0] - 'a') * 1.5 + (0.5 + (0.2 * r)) * x + (0.3 * k) + random.NextDouble() - 0.5;
            sb.Append(CultureInfo.InvariantCulture, $"{regions[r]},{kind},{k},{x:F6},{y:F6}\n");
        }

        return sb.ToString();
    }

    [Theory]
    [InlineData("y ~ x * kind", "normal")]
    [InlineData("y ~ x * kind", "qr")]
    [InlineData("y ~ x + kind + factor(k)", "normal")]
    [InlineData("y ~ kind:x", "qr")]
    public void By_with_factors_fits_each_group_with_its_own_levels(string formula, string method)
    {
        using var dir = new TempDir();
        var csv = Data();
        var file = dir.File("data.csv", csv);
        var grouped = Lsq.Run("fit", file, formula, "--by", "region", "-m", method, "--summary", "-f", "json");
        Assert.True(grouped.Code == 0, grouped.Err);
        var lines = Lines(grouped.Out);
        Assert.Equal(3, lines.Count);
        foreach (var line in lines)
        {
            var region = line["group"]!["region"]!.GetValue<string>();
            var alone = Lsq.Run("fit", dir.File(region + ".csv", Only(csv, region)), formula, "-m", method, "--summary", "-f", "json");
            Assert.True(alone.Code == 0, alone.Err);
            AssertSameFit(JsonNode.Parse(alone.Out)!.AsObject(), line, region);
        }

        // south has no level a: its model has no column for it (and east's d is east's alone).
        var south = lines.Single(l => l["group"]!["region"]!.GetValue<string>() == "south");
        var southTerms = south["coefficients"]!.AsArray().Select(t => t!["term"]!.GetValue<string>()).ToArray();
        Assert.DoesNotContain(southTerms, t => t.Contains("kinda", StringComparison.Ordinal) || t.Contains("kindd", StringComparison.Ordinal));
    }

    [Fact]
    public void A_model_per_group_with_factors_predicts_each_row_by_its_groups_levels()
    {
        using var dir = new TempDir();
        var csv = Data(rows: 200);
        var file = dir.File("data.csv", csv);
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", file, "y ~ x * kind + factor(k)", "--by", "region", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var grouped = Lsq.Run("predict", "--model", model, file);
        Assert.True(grouped.Code == 0, grouped.Err);
        var predictions = grouped.Out.Trim().Split('\n').Skip(1).ToArray();
        var rows = csv.Trim().Split('\n').Skip(1).ToArray();
        Assert.Equal(rows.Length, predictions.Length);
        foreach (var region in new[] { "north", "south", "east" })
        {
            var alone = Path.Combine(dir.Path, region + ".json");
            Assert.Equal(0, Lsq.Run("fit", dir.File(region + ".csv", Only(csv, region)), "y ~ x * kind + factor(k)", "--save", alone, "-q").Code);
            var own = Lsq.Run("predict", "--model", alone, dir.File(region + "-rows.csv", Only(csv, region)), "--only");
            Assert.True(own.Code == 0, own.Err);
            var expected = own.Out.Trim().Split('\n').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            var actual = predictions.Where(l => l.StartsWith(region + ",", StringComparison.Ordinal))
                .Select(l => double.Parse(l.Split(',')[^1], CultureInfo.InvariantCulture)).ToArray();
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                RReference.Agrees(expected[i], actual[i], 11, $"{region} row {i}");
            }
        }
    }

    [Fact]
    public void By_with_factors_reads_standard_input_parts_and_several_files_as_the_file()
    {
        using var dir = new TempDir();
        var csv = Data(rows: 20_000);
        var file = dir.File("big.csv", csv);
        string[] args = ["y ~ x * kind", "--by", "region", "--summary", "-f", "json"];
        var sequential = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 1 } }, ["fit", file, .. args]);
        Assert.True(sequential.Code == 0, sequential.Err);
        var parallel = Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 3, MinBytes = 0, PartBytes = 64 << 10 } }, ["fit", file, .. args]);
        var stdin = Lsq.RunWithInput(csv, ["fit", "-", .. args]);
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var first = dir.File("a.csv", string.Join('\n', lines.Take(10_000)) + "\n");
        var second = dir.File("b.csv", lines[0] + "\n" + string.Join('\n', lines.Skip(10_000)) + "\n");
        var files = Lsq.Run(["fit", first, second, .. args]);
        foreach (var other in new[] { parallel, stdin, files })
        {
            Assert.True(other.Code == 0, other.Err);
            var a = Lines(sequential.Out);
            var b = Lines(other.Out);
            Assert.Equal(a.Count, b.Count);
            for (int i = 0; i < a.Count; i++)
            {
                Assert.Equal(a[i]["group"]!.ToJsonString(), b[i]["group"]!.ToJsonString());
                AssertSameFit(a[i], b[i], a[i]["group"]!.ToJsonString());
            }
        }
    }

    [Fact]
    public void Weighted_partials_that_met_different_levels_merge_to_the_weighted_fit()
    {
        // One part holds no 8-cylinder car: the weighted states unite their levels by name.
        var data = Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", "mtcars.csv");
        var lines = File.ReadAllLines(data);
        using var dir = new TempDir();
        bool Eight(string l) => l.Split(',')[2] == "8";
        var a = dir.File("a.csv", string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where(l => !Eight(l)))) + "\n");
        var b = dir.File("b.csv", string.Join('\n', lines.Take(1).Concat(lines.Skip(1).Where(Eight))) + "\n");
        string[] model = ["mpg ~ factor(cyl) * wt", "--weights", "qsec"];
        var partA = Lsq.Run(["fit", a, .. model, "--partial"]);
        var partB = Lsq.Run(["fit", b, .. model, "--partial"]);
        Assert.True(partA.Code == 0 && partB.Code == 0, partA.Err + partB.Err);
        var merged = Lsq.RunWithInput(partA.Out + partB.Out, "merge", "--summary", "-f", "json");
        var whole = Lsq.Run(["fit", data, .. model, "--summary", "-f", "json"]);
        Assert.True(merged.Code == 0 && whole.Code == 0, merged.Err + whole.Err);
        AssertSameFit(JsonNode.Parse(whole.Out)!.AsObject(), JsonNode.Parse(merged.Out)!.AsObject(), "merged");
    }

    /// <summary>The same terms, and the same estimates, standard errors, σ̂ and R² to 11 digits (the sums met the levels in another order).</summary>
    private static void AssertSameFit(JsonObject expected, JsonObject actual, string what)
    {
        var e = expected["coefficients"]!.AsArray();
        var a = actual["coefficients"]!.AsArray();
        Assert.Equal(e.Select(t => t!["term"]!.GetValue<string>()), a.Select(t => t!["term"]!.GetValue<string>()));
        for (int j = 0; j < e.Count; j++)
        {
            foreach (var field in new[] { "estimate", "std_error" })
            {
                RReference.Agrees(e[j]![field]!.GetValue<double>(), a[j]![field]!.GetValue<double>(), 11, $"{what} {field}[{j}]");
            }
        }

        Assert.Equal(expected["n"]!.GetValue<long>(), actual["n"]!.GetValue<long>());
        RReference.Agrees(expected["residual_std_error"]!.GetValue<double>(), actual["residual_std_error"]!.GetValue<double>(), 11, what + " sigma");
        RReference.Agrees(expected["r_squared"]!.GetValue<double>(), actual["r_squared"]!.GetValue<double>(), 11, what + " R²");
    }
}
