using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// <c>--weights</c> against R's <c>lm(weights =)</c>, and <c>--vcov</c>/<c>--cluster</c> against
/// <c>sandwich::vcovHC</c>/<c>vcovCL</c> (with t, p and intervals as <c>lmtest::coeftest</c>/<c>coefci</c>
/// give them, and the Wald F of <c>lmtest::waldtest</c>), all from the committed lm.json.
/// </summary>
public sealed class WeightsAndSandwichTests
{
    /// <summary>The weighted cases: id, and options beyond the formula (factors, interactions with them, orthogonal poly() among them).</summary>
    public static TheoryData<string, string> WeightedCases => new()
    {
        { "mtcars_wt_hp_w_carb", "" },
        { "mtcars_wt_hp_w_am", "" }, // 19 zero weights: n, df and logLik count the 13 others
        { "cars_speed_w_speed", "" },
        { "airquality_ozone_w_temp", "--missing skip" },
        { "iris_pl_species_w_pw", "" },
        { "mtcars_factor_cyl_x_wt_w_qsec", "" },
        { "toothgrowth_supp_x_dose_w_len", "" },
        { "cars_poly2_w_speed", "" }, // poly()'s basis from the unweighted x, as R's model frame has it
        { "mtcars_poly2_hp_w_carb", "" },
        { "mtcars_logmpg_wt_w_carb", "" }, // a transformed response: log(mpg), not mpg, is weighed
        { "mtcars_halfmpg_wt_hp_w_carb", "" },
    };

    [Theory]
    [MemberData(nameof(WeightedCases))]
    public void Weighted_fit_agrees_with_R_lm_weights_to_10_digits(string id, string extra)
    {
        var c = RReference.Case(id);
        foreach (var method in new[] { "normal", "qr" })
        {
            var fit = Fit(c, [.. Split(extra), "-m", method]);
            AssertSummary(c, fit, $"{id} {method}");
        }
    }

    [Theory]
    [InlineData("mtcars_wt_hp_w_carb")]
    [InlineData("mtcars_logmpg_wt_w_carb")]
    [InlineData("mtcars_halfmpg_wt_hp_w_carb")]
    public void Weighted_gd_converges_to_the_weighted_fit(string id)
    {
        var c = RReference.Case(id);
        var fit = Fit(c, "-m", "gd", "--tol", "1e-12", "--max-iter", "100000");
        var estimates = RReference.Numbers(c.GetProperty("coefficients").GetProperty("estimate"));
        var ours = fit.GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("estimate").GetDouble()).ToArray();
        for (int j = 0; j < estimates.Length; j++)
        {
            RReference.Agrees(estimates[j], ours[j], 8, $"gd estimate[{j}]");
        }
    }

    [Fact]
    public void Weighted_partials_merge_to_the_weighted_fit()
    {
        var c = RReference.Case("mtcars_wt_hp_w_carb");
        var lines = File.ReadAllLines(RReference.DataFile(c));
        using var dir = new TempDir();
        var a = dir.File("a.csv", string.Join("\n", lines.Take(12)) + "\n");
        var b = dir.File("b.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(12))) + "\n");
        var partA = Lsq.Run("fit", a, "mpg ~ wt + hp", "--weights", "carb", "--partial");
        var partB = Lsq.Run("fit", b, "mpg ~ wt + hp", "--weights", "carb", "--partial");
        Assert.True(partA.Code == 0 && partB.Code == 0, partA.Err + partB.Err);
        var merged = Lsq.RunWithInput(partA.Out + partB.Out, "merge", "--summary", "-f", "json");
        Assert.True(merged.Code == 0, merged.Err);
        AssertSummary(c, JsonDocument.Parse(merged.Out).RootElement, "merged");
    }

    [Theory]
    [InlineData("wt + hp")]
    [InlineData("wt + factor(cyl)")]
    [InlineData("wt * factor(cyl)")]
    public void A_weighted_fit_of_a_transformed_response_fits_the_transformed_values(string predictors)
    {
        // log(mpg) ~ … weighted is the weighted fit of a column holding log(mpg) (the weighted sums once took mpg itself).
        var lines = File.ReadAllLines(RReference.DataFile(RReference.Case("mtcars_wt_hp_w_carb")));
        var header = lines[0].Split(',');
        int mpg = Array.FindIndex(header, h => h.Trim('"') == "mpg");
        var logged = lines.Skip(1).Select(line =>
            line + "," + Math.Log(double.Parse(line.Split(',')[mpg], System.Globalization.CultureInfo.InvariantCulture)).ToString("R", System.Globalization.CultureInfo.InvariantCulture));
        using var dir = new TempDir();
        var file = dir.File("mtcars.csv", string.Join('\n', [lines[0] + ",lmpg", .. logged]) + "\n");
        foreach (var method in new[] { "normal", "qr" })
        {
            var transformed = Lsq.Run("fit", file, $"log(mpg) ~ {predictors}", "--weights", "qsec", "-m", method, "-f", "json");
            var column = Lsq.Run("fit", file, $"lmpg ~ {predictors}", "--weights", "qsec", "-m", method, "-f", "json");
            Assert.True(transformed.Code == 0 && column.Code == 0, transformed.Err + column.Err);
            var a = JsonDocument.Parse(transformed.Out).RootElement.GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("estimate").GetDouble()).ToArray();
            var b = JsonDocument.Parse(column.Out).RootElement.GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("estimate").GetDouble()).ToArray();
            Assert.Equal(b.Length, a.Length);
            for (int j = 0; j < a.Length; j++)
            {
                RReference.Agrees(b[j], a[j], 12, $"{predictors} {method} estimate[{j}]");
            }
        }
    }

    /// <summary>
    /// WLS does not depend on the weights' scale: carb·1e-100 and carb·1e100 give lm(weights = carb)'s
    /// estimates and standard errors; carb·1e-200 (whose weighted squares underflow) is refused, not fitted wrong.
    /// </summary>
    [Fact]
    public void Scaled_weights_give_the_same_fit_or_are_refused()
    {
        var c = RReference.Case("mtcars_wt_hp_w_carb");
        var lines = File.ReadAllLines(RReference.DataFile(c));
        int carb = Array.IndexOf(lines[0].Split(','), "\"carb\"");
        Assert.True(carb > 0);
        using var dir = new TempDir();
        string Scaled(double by) => string.Join("\n", lines.Select((l, i) => i == 0 ? l + ",\"ws\""
            : l + "," + (double.Parse(l.Split(',')[carb], System.Globalization.CultureInfo.InvariantCulture) * by).ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "\n";
        foreach (var by in new[] { 1e-100, 1e100 })
        {
            var file = dir.File("scaled.csv", Scaled(by));
            var r = Lsq.Run("fit", file, "mpg ~ wt + hp", "--weights", "ws", "--summary", "-f", "json", "-q");
            Assert.True(r.Code == 0, r.Err);
            var coefficients = JsonDocument.Parse(r.Out).RootElement.GetProperty("coefficients").EnumerateArray().ToArray();
            RReference.AgreesTable(c.GetProperty("coefficients"), coefficients, $"weights carb·{by}", "estimate", "std_error", "t_value", "p_value");
        }

        var tiny = Lsq.Run("fit", dir.File("tiny.csv", Scaled(1e-200)), "mpg ~ wt + hp", "--weights", "ws");
        Assert.Equal(2, tiny.Code);
        Assert.Contains("the weights are too small", tiny.Err, StringComparison.Ordinal);
        var big = Lsq.Run("fit", dir.File("big.csv", Scaled(1e200)), "mpg ~ wt + hp", "--weights", "ws");
        Assert.Equal(2, big.Code);
        Assert.Contains("Divide the weights by a constant", big.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_change_nothing_at_predict_time()
    {
        var c = RReference.Case("cars_speed_w_speed");
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, "--weights", "speed", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var newdata = Path.Combine(Lsq.RepoRoot, c.GetProperty("predict").GetProperty("newdata_file").GetString()!);
        var predicted = Lsq.Run("predict", "--model", model, newdata);
        Assert.True(predicted.Code == 0, predicted.Err);
        var expected = RReference.Numbers(c.GetProperty("predict").GetProperty("fit"));
        var rows = predicted.Out.Trim().Split('\n').Skip(1).Select(l => double.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            RReference.Agrees(expected[i], rows[i], 10, $"prediction {i}");
        }
    }

    /// <summary>Cases with robust values lsq can state: id and extra options.</summary>
    public static TheoryData<string, string, string> RobustCases()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (id, extra) in new[]
        {
            ("mtcars_wt_hp", ""), ("mtcars_wt_x_hp", ""), ("swiss_dot", ""), ("cars_quadratic", ""), ("orange_age", ""),
            ("airquality_ozone", "--missing skip"), ("mtcars_wt_hp_w_carb", ""), ("mtcars_wt_hp_w_am", ""), ("cars_speed_w_speed", ""),
            ("mtcars_factor_cyl_wt", ""), ("iris_pl_x_species", ""), ("warpbreaks_wool_x_tension", ""), ("toothgrowth_supp_x_dose", ""),
            ("iris_pl_species_w_pw", ""), ("mtcars_factor_cyl_x_wt_w_qsec", ""), ("cars_poly5", ""), ("cars_poly2_w_speed", ""),
            ("mtcars_poly2_hp_w_carb", ""), ("mtcars_logmpg_wt", ""), ("mtcars_logmpg_wt_w_carb", ""), ("mtcars_halfmpg_wt_hp_w_carb", ""),
        })
        {
            foreach (var type in new[] { "HC0", "HC1", "HC2", "HC3" })
            {
                data.Add(id, extra, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RobustCases))]
    public void Vcov_agrees_with_sandwich_vcovHC_to_10_digits(string id, string extra, string type)
    {
        var c = RReference.Case(id);
        var fit = Fit(c, [.. Split(extra), "--vcov", type]);
        Assert.Equal(type, fit.GetProperty("vcov_type").GetString());
        AssertRobust(c.GetProperty("robust").GetProperty(type), fit, $"{id} {type}");
    }

    /// <summary>
    /// longley in its raw units is ill-conditioned enough that R's sandwich (bread·meat·bread in
    /// double) keeps only 7.5 to 8.5 digits; against the exact values (rational arithmetic,
    /// tests/reference/exact/sandwich.json) lsq keeps 11 or more. R's are still met to 7.
    /// </summary>
    [Theory]
    [InlineData("HC0")]
    [InlineData("HC1")]
    [InlineData("HC2")]
    [InlineData("HC3")]
    public void Longley_vcov_agrees_with_the_exact_sandwich_to_11_digits(string type)
    {
        var c = RReference.Case("longley_dot");
        var fit = Fit(c, "--vcov", type);
        var exact = JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "exact", "sandwich.json"))).RootElement
            .GetProperty("robust").GetProperty(type);
        var expected = RReference.Numbers(exact.GetProperty("std_error"));
        var r = RReference.Numbers(c.GetProperty("robust").GetProperty(type).GetProperty("std_error"));
        var ours = fit.GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("std_error").GetDouble()).ToArray();
        for (int j = 0; j < expected.Length; j++)
        {
            RReference.Agrees(expected[j], ours[j], 11, $"longley {type} exact std_error[{j}]");
            RReference.Agrees(r[j], ours[j], 7, $"longley {type} R std_error[{j}]");
        }
    }

    public static TheoryData<string, string, string> ClusterCases => new()
    {
        { "mtcars_wt_hp", "", "cyl" },
        { "mtcars_wt_hp", "", "gear" },
        { "orange_age", "", "Tree" },
        { "airquality_ozone", "--missing skip", "Month" },
        { "mtcars_wt_hp_w_carb", "", "cyl" },
        { "mtcars_wt_hp_w_am", "", "cyl" },
        { "mtcars_factor_cyl_wt", "", "am" },
        { "chickweight_time_diet", "", "Chick" },
        { "iris_pl_species_w_pw", "", "Species" },
        { "mtcars_factor_cyl_x_wt_w_qsec", "", "carb" },
        { "mtcars_poly2_hp_w_carb", "", "cyl" },
        { "mtcars_logmpg_wt", "", "cyl" },
        { "mtcars_logmpg_wt_w_carb", "", "cyl" },
        { "mtcars_halfmpg_wt_hp_w_carb", "", "cyl" },
    };

    /// <summary>
    /// Fertility ~ .^2 on swiss: 16 dense coefficients, so the meat goes through the blocked kernel.
    /// Its standard errors agree with sandwich's to 11 digits; its interval ends near 0 and Wald
    /// p-values of 1e-14 magnify R's own rounding to 9 digits, so only the errors are compared here.
    /// </summary>
    [Theory]
    [InlineData("HC0")]
    [InlineData("HC1")]
    [InlineData("HC2")]
    [InlineData("HC3")]
    [InlineData("Examination")]
    public void A_wide_dense_sandwich_agrees_with_sandwich_to_11_digits(string type)
    {
        var c = RReference.Case("swiss_dot_sq");
        bool clustered = !type.StartsWith("HC", StringComparison.Ordinal);
        var fit = Fit(c, clustered ? ["--cluster", type] : ["--vcov", type]);
        var r = clustered
            ? c.GetProperty("cluster").EnumerateArray().Single(e => e.GetProperty("column").GetString() == type)
            : c.GetProperty("robust").GetProperty(type);
        var expected = RReference.Numbers(r.GetProperty("std_error"));
        var ours = fit.GetProperty("coefficients").EnumerateArray().Select(e => e.GetProperty("std_error").GetDouble()).ToArray();
        Assert.Equal(16, ours.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            RReference.Agrees(expected[j], ours[j], 11, $"swiss .^2 {type} std_error[{j}]");
        }
    }

    [Theory]
    [MemberData(nameof(ClusterCases))]
    public void Cluster_agrees_with_sandwich_vcovCL_to_10_digits(string id, string extra, string column)
    {
        var c = RReference.Case(id);
        var r = c.GetProperty("cluster").EnumerateArray().Single(e => e.GetProperty("column").GetString() == column);
        var fit = Fit(c, [.. Split(extra), "--cluster", column]);
        Assert.Equal($"HC1 clustered by {column} (G = {r.GetProperty("groups").GetInt32()})", fit.GetProperty("vcov_type").GetString());
        AssertRobust(r, fit, $"{id} cluster {column}");
    }

    [Fact]
    public void Cluster_by_a_text_column_read_from_standard_input()
    {
        // The second pass from standard input: the rows are spilled on the first and read back.
        var c = RReference.Case("mtcars_wt_hp_w_carb");
        var text = File.ReadAllText(RReference.DataFile(c));
        var r = c.GetProperty("cluster")[0];
        var run = Lsq.RunWithInput(text, "fit", "-", "mpg ~ wt + hp", "--weights", "carb", "--cluster", "cyl", "--summary", "-f", "json");
        Assert.True(run.Code == 0, run.Err);
        AssertRobust(r, JsonDocument.Parse(run.Out).RootElement, "stdin cluster");
    }

    [Fact]
    public void Cluster_from_a_gzip_file_spills_and_agrees_with_sandwich()
    {
        // A compressed file cannot be read twice either: its rows go to the row cache as standard input's do.
        var c = RReference.Case("mtcars_wt_hp_w_carb");
        using var dir = new TempDir();
        var gz = Path.Combine(dir.Path, "mtcars.csv.gz");
        using (var file = File.Create(gz))
        using (var zip = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Fastest))
        {
            var bytes = File.ReadAllBytes(RReference.DataFile(c));
            zip.Write(bytes, 0, bytes.Length);
        }

        var run = Lsq.Run("fit", gz, "mpg ~ wt + hp", "--weights", "carb", "--cluster", "cyl", "--summary", "-f", "json");
        Assert.True(run.Code == 0, run.Err);
        AssertRobust(c.GetProperty("cluster")[0], JsonDocument.Parse(run.Out).RootElement, "gzip cluster");
    }

    [Fact]
    public void A_saved_model_of_a_weighted_poly_and_a_factor_predicts_R_fitted_values()
    {
        // The fitted terms keep their levels beside poly()'s basis, so the model file holds both.
        var c = RReference.Case("mtcars_poly2_hp_w_carb");
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, "--weights", "carb", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var predicted = Lsq.Run("predict", "--model", model, RReference.DataFile(c), "--only");
        Assert.True(predicted.Code == 0, predicted.Err);
        var expected = RReference.Numbers(c.GetProperty("influence").GetProperty("fitted"));
        var rows = predicted.Out.Trim().Split('\n').Skip(1).Select(l => double.Parse(l.Split(',')[^1], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(expected.Length, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            RReference.Agrees(expected[i], rows[i], 10, $"fitted {i}");
        }
    }

    [Fact]
    public void Weighted_factor_cluster_from_standard_input_recodes_the_spilled_rows()
    {
        // The spilled rows hold the levels in the order met (here not sorted); the sandwich reads them in R's order.
        var c = RReference.Case("mtcars_factor_cyl_x_wt_w_qsec");
        var r = c.GetProperty("cluster")[0];
        var run = Lsq.RunWithInput(File.ReadAllText(RReference.DataFile(c)), "fit", "-", "mpg ~ factor(cyl) * wt", "--weights", "qsec", "--cluster", "carb",
            "--summary", "-f", "json");
        Assert.True(run.Code == 0, run.Err);
        AssertRobust(r, JsonDocument.Parse(run.Out).RootElement, "stdin factor cluster");
    }

    [Theory]
    [InlineData("HC0")]
    [InlineData("HC3")]
    public void Vcov_from_standard_input_agrees_with_sandwich(string type)
    {
        var c = RReference.Case("airquality_ozone");
        var run = Lsq.RunWithInput(File.ReadAllText(RReference.DataFile(c)), "fit", "Ozone ~ Solar.R + Wind + Temp", "--missing", "skip", "-q",
            "--vcov", type, "--summary", "-f", "json");
        Assert.True(run.Code == 0, run.Err);
        AssertRobust(c.GetProperty("robust").GetProperty(type), JsonDocument.Parse(run.Out).RootElement, "stdin " + type);
    }

    [Fact]
    public void Table_names_the_covariance_and_the_weights()
    {
        var c = RReference.Case("mtcars_wt_hp_w_carb");
        var run = Lsq.Run("fit", RReference.DataFile(c), "mpg ~ wt + hp", "--weights", "carb", "--vcov", "HC3", "--summary");
        Assert.True(run.Code == 0, run.Err);
        Assert.Contains("vcov                HC3", run.Out, StringComparison.Ordinal);
        Assert.Contains("weights             carb", run.Out, StringComparison.Ordinal);
        Assert.Contains("2.148039156", run.Out, StringComparison.Ordinal); // HC3 standard error of the intercept
    }

    private static void AssertSummary(JsonElement c, JsonElement fit, string id)
    {
        Assert.Equal(c.GetProperty("nobs").GetInt64(), fit.GetProperty("n").GetInt64());
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        RReference.AgreesTable(c.GetProperty("coefficients"), coefficients, id, "estimate", "std_error", "t_value", "p_value");

        RReference.AgreesInterval(c.GetProperty("confint_95"), coefficients, 10, id);
        RReference.AgreesFit(c, fit, id);
    }

    private static void AssertRobust(JsonElement r, JsonElement fit, string id)
    {
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        RReference.AgreesTable(r, coefficients, id, "std_error", "t_value", "p_value");
        RReference.AgreesInterval(r.GetProperty("confint_95"), coefficients, 10, id);
        if (r.GetProperty("wald_f") is { ValueKind: JsonValueKind.Object } wald)
        {
            RReference.Agrees(wald.GetProperty("value").GetDouble(), fit.GetProperty("f_statistic").GetDouble(), 10, id + " Wald F");
            RReference.Agrees(wald.GetProperty("p_value").GetDouble(), fit.GetProperty("f_p_value").GetDouble(), 10, id + " Wald F p");
        }
    }

    private static string[] Split(string extra) => extra.Length == 0 ? [] : extra.Split(' ');

    /// <summary>lsq fit of a case's formula (weighted as the case is) with --summary -f json.</summary>
    private static JsonElement Fit(JsonElement c, params string[] more)
    {
        string[] weights = c.GetProperty("weights").ValueKind == JsonValueKind.String ? ["--weights", c.GetProperty("weights").GetString()!] : [];
        var r = Lsq.Run(["fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, .. weights, "--summary", "-f", "json", "-q", .. more]);
        Assert.True(r.Code == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement.Clone();
    }
}
