using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// The model of the intercept alone, <c>y ~ 1</c>, against R's <c>lm(y ~ 1)</c> (lm.json's
/// <c>iris_1*</c> cases): the mean with its standard error s/√n, R² 0 and no F statistic, in every
/// place a user reaches it: each method, weights, robust and clustered errors, --by, --save and
/// predict, partials and merge, and anova's null model. <c>y ~ 0</c> stays an error.
/// </summary>
public sealed class InterceptOnlyAgainstRTests
{
    private const string Formula = "Sepal.Length ~ 1";

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Summary_agrees_with_R_lm_y_tilde_1_to_10_digits(string method)
    {
        var c = RReference.Case("iris_1");
        var fit = Fit(c, "-m", method);
        AssertSummary(c, fit, "iris_1 " + method);
        Assert.Equal(1, fit.GetProperty("p").GetInt32());
        Assert.Equal(1, fit.GetProperty("condition_number").GetDouble()); // one column of ones
    }

    [Fact]
    public void The_table_prints_the_formula_and_NA_for_the_absent_F_statistic()
    {
        var c = RReference.Case("iris_1");
        var r = Lsq.Run("fit", RReference.DataFile(c), Formula, "--summary");
        Assert.True(r.Code == 0, r.Err);
        Assert.StartsWith("Sepal.Length ~ 1   (normal equations, 150 rows)", r.Out, StringComparison.Ordinal);
        Assert.Contains("f_statistic         NA\n", r.Out, StringComparison.Ordinal);
        Assert.Contains("0.06761131623", r.Out, StringComparison.Ordinal); // s/√n
    }

    [Theory]
    [InlineData("gd")]
    [InlineData("sgd")]
    public void Gradient_descent_finds_the_mean(string method)
    {
        var c = RReference.Case("iris_1");
        var r = Lsq.Run("fit", RReference.DataFile(c), Formula, "-m", method, "-f", "json", "-q", "--max-iter", "5000");
        Assert.True(r.Code == 0, r.Err);
        var estimate = JsonDocument.Parse(r.Out).RootElement.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble();
        RReference.Agrees(RReference.Numbers(c.GetProperty("coefficients").GetProperty("estimate"))[0], estimate, method == "gd" ? 10 : 4, method);
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Weights_give_the_weighted_mean_as_R_does(string method)
    {
        var c = RReference.Case("iris_1_w_pw");
        AssertSummary(c, Fit(c, "--weights", "Petal.Width", "-m", method), "iris_1_w_pw " + method);
    }

    [Theory]
    [InlineData("iris_1", "HC0")]
    [InlineData("iris_1", "HC1")]
    [InlineData("iris_1", "HC2")]
    [InlineData("iris_1", "HC3")]
    [InlineData("iris_1_w_pw", "HC3")]
    public void Vcov_agrees_with_sandwich_vcovHC(string id, string type)
    {
        var c = RReference.Case(id);
        string[] weights = c.GetProperty("weights").ValueKind == JsonValueKind.String ? ["--weights", c.GetProperty("weights").GetString()!] : [];
        var fit = Fit(c, [.. weights, "--vcov", type]);
        AssertRobust(c.GetProperty("robust").GetProperty(type), fit, $"{id} {type}");
    }

    [Theory]
    [InlineData("iris_1")]
    [InlineData("iris_1_w_pw")]
    public void Cluster_agrees_with_sandwich_vcovCL(string id)
    {
        var c = RReference.Case(id);
        string[] weights = c.GetProperty("weights").ValueKind == JsonValueKind.String ? ["--weights", c.GetProperty("weights").GetString()!] : [];
        var fit = Fit(c, [.. weights, "--cluster", "Species"]);
        Assert.Equal("HC1 clustered by Species (G = 3)", fit.GetProperty("vcov_type").GetString());
        AssertRobust(c.GetProperty("cluster")[0], fit, id + " cluster");
    }

    [Fact]
    public void By_fits_each_group_s_mean_as_R_does_on_the_subset()
    {
        var c = RReference.Case("iris_1_versicolor");
        var r = Lsq.Run("fit", RReference.DataFile(c), Formula, "--by", "Species", "--summary", "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        var groups = r.Out.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement).ToArray();
        Assert.Equal(["setosa", "versicolor", "virginica"], groups.Select(g => g.GetProperty("group").GetProperty("Species").GetString()));
        AssertSummary(c, groups[1], "versicolor");
    }

    [Fact]
    public void A_saved_model_predicts_R_s_intervals()
    {
        var c = RReference.Case("iris_1");
        var predict = c.GetProperty("predict");
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", RReference.DataFile(c), Formula, "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var newdata = Path.Combine(Lsq.RepoRoot, predict.GetProperty("newdata_file").GetString()!);
        foreach (var (interval, field) in new[] { ("confidence", "confidence_95"), ("prediction", "prediction_95") })
        {
            var r = Lsq.Run("predict", "--model", model, newdata, "--interval", interval, "--only");
            Assert.True(r.Code == 0, r.Err);
            var lines = r.Out.TrimEnd('\n').Split('\n');
            Assert.Equal(",prediction,lower,upper", lines[0]); // the row names, then no predictor to echo
            var expected = RReference.Numbers(predict.GetProperty("fit"));
            var lower = RReference.Numbers(predict.GetProperty(field).GetProperty("lower"));
            var upper = RReference.Numbers(predict.GetProperty(field).GetProperty("upper"));
            Assert.Equal(expected.Length, lines.Length - 1);
            for (int i = 0; i < expected.Length; i++)
            {
                var cells = lines[i + 1].Split(',')[1..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                RReference.Agrees(expected[i], cells[0], 10, $"fit[{i}]");
                RReference.Agrees(lower[i], cells[1], 10, $"{field} lower[{i}]");
                RReference.Agrees(upper[i], cells[2], 10, $"{field} upper[{i}]");
            }
        }
    }

    [Fact]
    public void Partials_merge_to_R_s_fit()
    {
        var c = RReference.Case("iris_1");
        var lines = File.ReadAllLines(RReference.DataFile(c));
        using var dir = new TempDir();
        var a = dir.File("a.csv", string.Join("\n", lines.Take(61)) + "\n");
        var b = dir.File("b.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(61))) + "\n");
        var partA = Lsq.Run("fit", a, Formula, "--partial");
        var partB = Lsq.Run("fit", b, Formula, "--partial");
        Assert.True(partA.Code == 0 && partB.Code == 0, partA.Err + partB.Err);
        var merged = Lsq.RunWithInput(partA.Out + partB.Out, "merge", "--summary", "-f", "json");
        Assert.True(merged.Code == 0, merged.Err);
        AssertSummary(c, JsonDocument.Parse(merged.Out).RootElement, "merged");
    }

    [Theory]
    [InlineData("Sepal.Length ~ 0")]
    [InlineData("Sepal.Length ~ -1")]
    [InlineData("Sepal.Length ~ Species - Species - 1")]
    public void A_model_with_neither_intercept_nor_predictor_is_a_usage_error(string formula)
    {
        var c = RReference.Case("iris_1");
        Expect.Error(Lsq.Run("fit", RReference.DataFile(c), formula), 1, "command-line/empty-model-" + Expect.Slug(formula), formula, "Sepal.Length ~ 1");
    }

    [Theory]
    [InlineData("-x", "")]
    [InlineData("--features", ",")]
    public void An_empty_feature_list_is_a_usage_error_not_a_crash(string option, string value)
    {
        var c = RReference.Case("iris_1");
        var r = Lsq.Run("fit", RReference.DataFile(c), "-y", "Sepal.Length", option, value);
        Assert.Equal(1, r.Code);
        Assert.StartsWith("lsq: error: --features", r.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", r.Err, StringComparison.Ordinal);
    }

    private static void AssertSummary(JsonElement c, JsonElement fit, string id)
    {
        Assert.Equal(c.GetProperty("nobs").GetInt64(), fit.GetProperty("n").GetInt64());
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(["(intercept)"], coefficients.Select(e => e.GetProperty("term").GetString()));
        RReference.AgreesTable(c.GetProperty("coefficients"), coefficients, id, "estimate", "std_error", "t_value", "p_value");
        RReference.AgreesInterval(c.GetProperty("confint_95"), coefficients, 10, id + " 95%");
        RReference.Agrees(c.GetProperty("sigma").GetDouble(), fit.GetProperty("residual_std_error").GetDouble(), 10, id + " sigma");
        Assert.Equal(c.GetProperty("df_residual").GetInt64(), fit.GetProperty("df_residual").GetInt64());
        Assert.Equal(0, c.GetProperty("r_squared").GetDouble());
        Assert.Equal(0, fit.GetProperty("r_squared").GetDouble());
        Assert.Equal(0, fit.GetProperty("adj_r_squared").GetDouble());

        // summary.lm has no F statistic for lm(y ~ 1): null in JSON, as for any undefined figure.
        Assert.Equal(JsonValueKind.Null, c.GetProperty("fstatistic").ValueKind);
        Assert.Equal(JsonValueKind.Null, fit.GetProperty("f_statistic").ValueKind);
        Assert.Equal(JsonValueKind.Null, fit.GetProperty("f_p_value").ValueKind);
        RReference.Agrees(c.GetProperty("loglik").GetDouble(), fit.GetProperty("log_likelihood").GetDouble(), 10, id + " logLik");
        RReference.Agrees(c.GetProperty("aic").GetDouble(), fit.GetProperty("aic").GetDouble(), 10, id + " AIC");
        RReference.Agrees(c.GetProperty("bic").GetDouble(), fit.GetProperty("bic").GetDouble(), 10, id + " BIC");
    }

    private static void AssertRobust(JsonElement r, JsonElement fit, string id)
    {
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        RReference.AgreesTable(r, coefficients, id, "std_error", "t_value", "p_value");
        RReference.AgreesInterval(r.GetProperty("confint_95"), coefficients, 10, id + " 95%");
        Assert.Equal(JsonValueKind.Null, r.GetProperty("wald_f").ValueKind); // no slope to test
        Assert.Equal(JsonValueKind.Null, fit.GetProperty("f_statistic").ValueKind);
    }

    private static JsonElement Fit(JsonElement c, params string[] more)
    {
        var r = Lsq.Run(["fit", RReference.DataFile(c), Formula, "--summary", "-f", "json", "-q", .. more]);
        Assert.True(r.Code == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement.Clone();
    }
}
