using System.Globalization;
using System.Text;
using System.Text.Json;
using LeastSquares.Cli.Input;
using LeastSquares.Cli.Tests.Inference;

namespace LeastSquares.Cli.Tests;

/// <summary>
/// Categorical columns: which columns are categorical, levels found while reading (in parallel
/// parts, in partials merged later), R's names and coding, missing cells, saved models and predict.
/// Agreement with R's numbers is in <see cref="FactorsAgainstRTests"/>.
/// </summary>
public sealed class FactorTests
{
    private static string Data(string name) => Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "data", name);

    private static JsonElement Json(Lsq.Result r)
    {
        Assert.True(r.Code == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement.Clone();
    }

    private static string[] Names(JsonElement fit) => [.. fit.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("term").GetString()!)];

    private static double[] Estimates(JsonElement fit) => [.. fit.GetProperty("coefficients").EnumerateArray().Select(c => c.GetProperty("estimate").GetDouble())];

    /// <summary>Rows x, g, y where the level "late" first appears in the last rows.</summary>
    private static string LateLevelCsv(int rows)
    {
        var random = new Random(15);
        var sb = new StringBuilder("x,g,y\n");
        string[] early = ["b", "c", "d"];
        for (int i = 0; i < rows; i++)
        {
            string g = i >= rows - 7 ? "late" : early[i % 3];
            double x = random.NextDouble() * 10;
            double y = (2 * x) + (g == "late" ? 5 : g[0] - 'a') + random.NextDouble();
            sb.Append(CultureInfo.InvariantCulture, $"{x:R},{g},{y:R}\n");
        }

        return sb.ToString();
    }

    [Fact]
    public void A_text_column_is_categorical_in_the_default_fit()
    {
        // No formula: every column but the target (the row names left out), Species a factor.
        var fit = Json(Lsq.Run("fit", Data("iris.csv"), "-y", "Sepal.Length", "-f", "json"));
        Assert.Equal(["(intercept)", "Sepal.Width", "Petal.Length", "Petal.Width", "Speciesversicolor", "Speciesvirginica"], Names(fit));
        var r = RReference.Case("iris_dot");
        var expected = RReference.Numbers(r.GetProperty("coefficients").GetProperty("estimate"));
        var got = Estimates(fit);
        for (int j = 0; j < expected.Length; j++)
        {
            RReference.Agrees(expected[j], got[j], 10, $"estimate[{j}]");
        }
    }

    [Fact]
    public void Numeric_levels_are_named_as_R_writes_them_and_sort_by_value()
    {
        // Without an intercept the first factor keeps every level; 0.5 sorts before 1 and 2.
        var fit = Json(Lsq.Run("fit", Data("ToothGrowth.csv"), "len ~ factor(dose) + supp - 1", "-f", "json"));
        Assert.Equal(["factor(dose)0.5", "factor(dose)1", "factor(dose)2", "suppVC"], Names(fit));
    }

    [Fact]
    public void A_level_first_met_late_in_a_file_read_in_parallel_parts_gives_the_sequential_fit()
    {
        using var dir = new TempDir();
        var file = dir.File("late.csv", LateLevelCsv(4000));
        var parts = Json(Lsq.RunWith("", c => c with { Parallel = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 8 << 10 } },
            "fit", file, "y ~ x * g", "-f", "json"));
        var sequential = Json(Lsq.RunWithInput(File.ReadAllText(file), "fit", "-", "y ~ x * g", "-f", "json"));
        Assert.Equal(["(intercept)", "x", "gc", "gd", "glate", "x:gc", "x:gd", "x:glate"], Names(parts));
        Assert.Equal(Names(sequential), Names(parts));
        var a = Estimates(parts);
        var b = Estimates(sequential);
        for (int j = 0; j < a.Length; j++)
        {
            RReference.Agrees(b[j], a[j], 12, $"estimate[{j}]");
        }
    }

    [Fact]
    public void Partials_that_met_disjoint_levels_merge_to_the_whole_fit()
    {
        // Each partial holds one species only; the merge unites the levels by name.
        using var dir = new TempDir();
        var lines = File.ReadAllLines(Data("iris.csv"));
        var partials = new List<string>();
        foreach (var species in new[] { "virginica", "setosa", "versicolor" })
        {
            var csv = dir.File(species + ".csv", string.Join("\n", lines.Take(1).Concat(lines.Where(l => l.Contains(species, StringComparison.Ordinal)))) + "\n");
            var partial = Lsq.Run("fit", csv, "Sepal.Length ~ Petal.Length * Species", "--partial");
            Assert.True(partial.Code == 0, partial.Err);
            Assert.Contains($"\"levels\":[\"{species}\"]", partial.Out, StringComparison.Ordinal);
            partials.Add(dir.File(species + ".json", partial.Out));
        }

        var merged = Json(Lsq.Run(["merge", .. partials, "--summary", "-f", "json"]));
        var whole = Json(Lsq.Run("fit", Data("iris.csv"), "Sepal.Length ~ Petal.Length * Species", "--summary", "-f", "json"));
        Assert.Equal(Names(whole), Names(merged));
        var m = merged.GetProperty("coefficients").EnumerateArray().ToArray();
        var w = whole.GetProperty("coefficients").EnumerateArray().ToArray();
        for (int j = 0; j < m.Length; j++)
        {
            foreach (var field in new[] { "estimate", "std_error", "p_value" })
            {
                RReference.Agrees(w[j].GetProperty(field).GetDouble(), m[j].GetProperty(field).GetDouble(), 12, $"{field}[{j}]");
            }
        }

        RReference.Agrees(whole.GetProperty("r_squared").GetDouble(), merged.GetProperty("r_squared").GetDouble(), 12, "R²");
    }

    [Theory]
    [InlineData("toothgrowth_supp_x_dose")]
    [InlineData("iris_pl_x_species")]
    [InlineData("mtcars_wt_x_factor_am")]
    public void Predict_builds_the_saved_levels_columns_as_R_predict_does(string id)
    {
        using var dir = new TempDir();
        var c = RReference.Case(id);
        var model = Path.Combine(dir.Path, "model.json");
        var fit = Lsq.Run("fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var saved = JsonDocument.Parse(File.ReadAllText(model)).RootElement;
        Assert.True(saved.TryGetProperty("factors", out _), "the model file keeps the levels");
        var predictions = Lsq.Run("predict", "--model", model, Path.Combine(Lsq.RepoRoot, c.GetProperty("predict").GetProperty("newdata_file").GetString()!), "--only");
        Assert.True(predictions.Code == 0, predictions.Err);
        var expected = RReference.Numbers(c.GetProperty("predict").GetProperty("fit"));
        var got = predictions.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(s => double.Parse(s.Split(',')[^1], CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, got.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            RReference.Agrees(expected[j], got[j], 10, $"prediction {j}");
        }
    }

    [Fact]
    public void Missing_factor_cells_follow_missing_skip()
    {
        using var dir = new TempDir();
        // The level z is met on a skipped row only: it gets no column.
        var file = dir.File("d.csv", "g,x,y\na,1,2\nNA,2,3\nb,3,5\n,4,4\na,5,7\nz,NA,1\nb,6,9\n");
        var skipped = Lsq.Run("fit", file, "y ~ x + g", "--missing", "skip", "-f", "json");
        var fit = Json(skipped);
        Assert.Equal(4, fit.GetProperty("n").GetInt64());
        Assert.Equal(["(intercept)", "x", "gb"], Names(fit));
        Assert.Contains("3 rows", skipped.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Sgd_and_gd_read_the_levels_in_Rs_order()
    {
        // warpbreaks meets tension as L, M, H; R's order (and the coding's) is H, L, M.
        var c = RReference.Case("warpbreaks_wool_x_tension");
        var expected = RReference.Numbers(c.GetProperty("coefficients").GetProperty("estimate"));
        foreach (var method in new[] { "gd", "sgd" })
        {
            string[] seed = method == "sgd" ? ["--seed", "1"] : [];
            var fit = Json(Lsq.Run(["fit", RReference.DataFile(c), "breaks ~ wool * tension", "--method", method, "--max-iter", "20000", .. seed, "-f", "json", "-q"]));
            Assert.Equal(["(intercept)", "woolB", "tensionL", "tensionM", "woolB:tensionL", "woolB:tensionM"], Names(fit));
            var got = Estimates(fit);
            for (int j = 0; j < expected.Length; j++)
            {
                Assert.True(Math.Abs(got[j] - expected[j]) < 0.01, $"{method} estimate[{j}]: {got[j]} vs R's {expected[j]}");
            }
        }
    }

    [Fact]
    public void Text_levels_sort_as_R_sorts_them_so_the_reference_level_is_R_s()
    {
        // R in a UTF-8 locale sorts apple, Banana, cherry, Date (case breaks ties only); byte order
        // would make Banana the reference and change every factor coefficient.
        var csv = new StringBuilder("x,fruit,y\n");
        string[] fruits = ["cherry", "Date", "Banana", "apple"];
        for (int i = 0; i < 40; i++)
        {
            double x = i * 0.37 % 5;
            Row(csv, x, fruits[i % 4], (1.5 * x) + (i % 4) + ((i * 7 % 11) / 10.0));
        }

        var fit = Json(Lsq.RunWithInput(csv.ToString(), "fit", "-", "y ~ x + fruit", "-f", "json"));
        Assert.Equal(["(intercept)", "x", "fruitBanana", "fruitcherry", "fruitDate"], Names(fit));

        // The same data with the levels renamed so that any order agrees: the estimates are R's coding.
        var renamed = csv.ToString().Replace(",apple,", ",a1,", StringComparison.Ordinal).Replace(",Banana,", ",a2,", StringComparison.Ordinal)
            .Replace(",cherry,", ",a3,", StringComparison.Ordinal).Replace(",Date,", ",a4,", StringComparison.Ordinal);
        var plain = Json(Lsq.RunWithInput(renamed, "fit", "-", "y ~ x + fruit", "-f", "json"));
        Assert.Equal(Estimates(plain), Estimates(fit));

        static void Row(StringBuilder b, double x, string g, double y) => b.Append(CultureInfo.InvariantCulture, $"{x:R},{g},{y:R}\n");
    }

    [Fact]
    public void As_factor_is_factor()
    {
        var a = Json(Lsq.Run("fit", Data("mtcars.csv"), "mpg ~ as.factor(cyl) + wt", "-f", "json"));
        var b = Json(Lsq.Run("fit", Data("mtcars.csv"), "mpg ~ factor(cyl) + wt", "-f", "json"));
        Assert.Equal(["(intercept)", "as.factor(cyl)6", "as.factor(cyl)8", "wt"], Names(a));
        Assert.Equal(Estimates(b), Estimates(a));
    }

    [Fact]
    public void A_factor_with_one_level_in_the_rows_fitted_is_refused_as_R_refuses_it()
    {
        var csv = "x,g,y\n1,k,2\n2,k,4.1\n3,k,5.9\n4,k,8.2\n";
        Expect.Error(Lsq.RunWithInput(csv, "fit", "-", "y ~ x + g"), 3, "numerical/single-level-factor", "'g'", "'k'", "2 or more levels");
    }

    /// <summary>
    /// A column whose first cells are numbers and a later one text (10, 20, …, 3b): R's read.csv reads
    /// it as text, so factor(code) has the text levels 10, 20, 3b; lsq turns the levels to text at the
    /// first cell that is not a number, and the fit is that of the same rows with the text cell first.
    /// </summary>
    [Fact]
    public void Factor_of_a_column_that_turns_out_to_be_text_fits_its_text_levels()
    {
        var rows = Enumerable.Range(0, 40).Select(i =>
        {
            string code = i % 3 == 0 ? "10" : i % 3 == 1 ? "20" : "3b";
            double x = i * 0.5;
            double y = 1 + (0.3 * x) + (code == "20" ? 2 : code == "3b" ? -1 : 0) + (((i * 7) % 5) * 0.1);
            return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{x},{code},{y}");
        }).ToList();
        string late = "x,code,y\n" + string.Join("\n", rows.Where(r => !r.Contains("3b", StringComparison.Ordinal)).Concat(rows.Where(r => r.Contains("3b", StringComparison.Ordinal)))) + "\n";
        string early = "x,code,y\n" + string.Join("\n", rows.Where(r => r.Contains("3b", StringComparison.Ordinal)).Concat(rows.Where(r => !r.Contains("3b", StringComparison.Ordinal)))) + "\n";
        var a = Lsq.RunWithInput(late, "fit", "y ~ x + factor(code)", "-f", "csv");
        Assert.True(a.Code == 0, a.Err);
        Assert.Contains("factor(code)20,", a.Out, StringComparison.Ordinal);
        Assert.Contains("factor(code)3b,", a.Out, StringComparison.Ordinal);
        var b = Lsq.RunWithInput(early, "fit", "y ~ x + code", "-f", "csv");
        Assert.True(b.Code == 0, b.Err);
        var estimates = (string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => double.Parse(l.Split(',')[1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var ea = estimates(a.Out);
        var eb = estimates(b.Out);
        Assert.Equal(eb.Length, ea.Length);
        for (int j = 0; j < ea.Length; j++)
        {
            Assert.Equal(eb[j], ea[j], 1e-9);
        }
    }
}
