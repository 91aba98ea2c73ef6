using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// Rank-deficient designs with <c>--aliased na</c> against R's <c>lm</c>, whose aliased
/// coefficients are NA (tests/reference/r/aliased.json, made by make-aliased.R): the summary,
/// anova's table without the aliased terms, and predict from the saved model. Without the option
/// the same fits stay exit 3, naming the columns.
/// </summary>
public sealed class AliasedAgainstRTests
{
    private static readonly Lazy<JsonDocument> Reference = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "aliased.json"))));

    private static JsonElement Case(string id) =>
        Reference.Value.RootElement.GetProperty("cases").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static (string File, string Formula) Model(JsonElement c) =>
        (Path.Combine(Lsq.RepoRoot, c.GetProperty("data_file").GetString()!), c.GetProperty("formula").GetString()!);

    [Theory]
    [InlineData("npk_block_npk", "normal")]
    [InlineData("npk_block_npk", "qr")]
    [InlineData("mtcars_cyl_x_gear", "normal")]
    [InlineData("mtcars_cyl_x_gear", "qr")]
    [InlineData("warpbreaks_wool_tension", "normal")]
    [InlineData("mtcars_wt_2wt_hp", "normal")]
    [InlineData("mtcars_0_wt_2wt_hp", "normal")]
    public void Summary_agrees_with_R_and_the_aliased_coefficients_are_null(string id, string method)
    {
        var c = Case(id);
        var (file, formula) = Model(c);
        var r = Lsq.Run("fit", file, formula, "--aliased", "na", "-m", method, "-f", "json");
        Assert.True(r.Code == 0, r.Err);
        var fit = JsonDocument.Parse(r.Out).RootElement;
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        var table = c.GetProperty("coefficients");
        var estimates = RReference.Numbers(table.GetProperty("estimate"));
        Assert.Equal(estimates.Length, coefficients.Length);
        for (int j = 0; j < estimates.Length; j++)
        {
            if (double.IsNaN(estimates[j]))
            {
                foreach (var field in new[] { "estimate", "std_error", "t", "p_value", "ci_low", "ci_high" })
                {
                    Assert.Equal(JsonValueKind.Null, coefficients[j].GetProperty(field).ValueKind);
                }

                continue;
            }

            RReference.Agrees(estimates[j], coefficients[j].GetProperty("estimate").GetDouble(), 10, $"{id} estimate[{j}]");
            foreach (var (ours, theirs) in new[] { ("std_error", "std_error"), ("t", "t_value"), ("p_value", "p_value") })
            {
                RReference.Agrees(RReference.Numbers(table.GetProperty(theirs))[j], coefficients[j].GetProperty(ours).GetDouble(), 10, $"{id} {ours}[{j}]");
            }
        }

        RReference.AgreesFit(c, fit, id);

        // stderr names each aliased coefficient (lsq's names: R's "(Intercept)" is "(intercept)").
        foreach (var name in c.GetProperty("aliased").EnumerateArray())
        {
            Assert.Contains($"'{name.GetString()}'", r.Err, StringComparison.Ordinal);
        }

        Assert.Contains("aliased", r.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npk_block_npk")]
    [InlineData("mtcars_cyl_x_gear")]
    [InlineData("warpbreaks_wool_tension")]
    [InlineData("mtcars_wt_2wt_hp")]
    public void Without_the_option_the_design_is_refused_naming_the_fallback(string id)
    {
        var (file, formula) = Model(Case(id));
        var r = Lsq.Run("fit", file, formula);
        Assert.Equal(3, r.Code);
        Assert.Equal("", r.Out);
        Assert.StartsWith("lsq: error: ", r.Err, StringComparison.Ordinal);
        Assert.Contains("--aliased na", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_and_csv_show_the_aliased_coefficient_as_NA_and_empty()
    {
        var (file, formula) = Model(Case("npk_block_npk"));
        var table = Lsq.Run("fit", file, formula, "--aliased", "na", "--summary", "-q");
        Assert.True(table.Code == 0, table.Err);
        Assert.Matches(@"\nN:P:K +NA +NA +NA +NA +NA +NA\n", table.Out);
        Assert.Contains("on 12 degrees of freedom", table.Out, StringComparison.Ordinal);
        var csv = Lsq.Run("fit", file, formula, "--aliased", "na", "-f", "csv", "-q");
        Assert.EndsWith("\nN:P:K,\n", csv.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("npk_block_npk")]
    [InlineData("mtcars_cyl_x_gear")]
    [InlineData("warpbreaks_wool_tension")]
    [InlineData("mtcars_wt_2wt_hp")]
    public void Anova_leaves_out_what_is_aliased_as_R_does(string id)
    {
        var c = Case(id);
        var (file, formula) = Model(c);
        var run = Lsq.Run("anova", file, formula, "--aliased", "na", "-f", "json");
        Assert.True(run.Code == 0, run.Err);
        var ours = JsonDocument.Parse(run.Out).RootElement.GetProperty("rows").EnumerateArray().ToArray();
        var rows = c.GetProperty("anova").EnumerateArray().ToArray();
        Assert.Equal(rows.Length, ours.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i].GetProperty("term").GetString(), ours[i].GetProperty("term").GetString());
            Assert.Equal(rows[i].GetProperty("df").GetDouble(), ours[i].GetProperty("df").GetDouble());
            foreach (var field in new[] { "sum_sq", "mean_sq", "f", "p_value" })
            {
                var expected = rows[i].GetProperty(field);
                if (expected.ValueKind == JsonValueKind.Null)
                {
                    Assert.Equal(JsonValueKind.Null, ours[i].GetProperty(field).ValueKind);
                }
                else
                {
                    RReference.Agrees(expected.GetDouble(), ours[i].GetProperty(field).GetDouble(), 10, $"{id} row {i} {field}");
                }
            }
        }

        Assert.Equal(3, Lsq.Run("anova", file, formula).Code);
    }

    [Theory]
    [InlineData("npk_block_npk")]
    [InlineData("mtcars_cyl_x_gear")]
    [InlineData("mtcars_wt_2wt_hp")]
    public void A_saved_rank_deficient_model_predicts_as_R_s_predict_lm_with_a_warning(string id)
    {
        var c = Case(id);
        var (file, formula) = Model(c);
        var predict = c.GetProperty("predict");
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", file, formula, "--aliased", "na", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        Assert.Contains("null", File.ReadAllText(model), StringComparison.Ordinal);

        var columns = predict.GetProperty("newdata").EnumerateArray().ToArray();
        var values = columns.Select(col => RReference.Numbers(col.GetProperty("values"))).ToArray();
        var lines = new List<string> { string.Join(',', columns.Select(col => col.GetProperty("column").GetString())) };
        for (int i = 0; i < values[0].Length; i++)
        {
            lines.Add(string.Join(',', values.Select(v => v[i].ToString("R", CultureInfo.InvariantCulture))));
        }

        var newdata = dir.File("new.csv", string.Join('\n', lines) + "\n");
        foreach (var (interval, field) in new[] { ("confidence", "confidence_95"), ("prediction", "prediction_95") })
        {
            var r = Lsq.Run("predict", "--model", model, newdata, "--interval", interval, "--only");
            Assert.True(r.Code == 0, r.Err);
            Assert.Contains("rank-deficient", r.Err, StringComparison.Ordinal);
            var rows = r.Out.TrimEnd('\n').Split('\n');
            Assert.Equal("prediction,lower,upper", rows[0]);
            var expected = RReference.Numbers(predict.GetProperty("fit"));
            var lower = RReference.Numbers(predict.GetProperty(field).GetProperty("lower"));
            var upper = RReference.Numbers(predict.GetProperty(field).GetProperty("upper"));
            Assert.Equal(expected.Length, rows.Length - 1);
            for (int i = 0; i < expected.Length; i++)
            {
                var cells = rows[i + 1].Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
                RReference.Agrees(expected[i], cells[0], 10, $"{id} fit[{i}]");
                RReference.Agrees(lower[i], cells[1], 10, $"{id} {field} lower[{i}]");
                RReference.Agrees(upper[i], cells[2], 10, $"{id} {field} upper[{i}]");
            }
        }
    }

    [Theory]
    [InlineData("--vcov", "HC1")]
    [InlineData("--cluster", "block")]
    public void Robust_errors_are_refused_with_the_fallback(string option, string value)
    {
        var (file, formula) = Model(Case("npk_block_npk"));
        var r = Lsq.Run("fit", file, formula, "--aliased", "na", "--summary", option, value);
        Assert.Equal(1, r.Code);
        Assert.Contains("--aliased na does not work with --vcov or --cluster", r.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Gradient_descent_has_no_fallback()
    {
        var (file, formula) = Model(Case("mtcars_wt_2wt_hp"));
        var r = Lsq.Run("fit", file, formula, "--aliased", "na", "-m", "gd");
        Assert.Equal(1, r.Code);
        Assert.Contains("--method gd", r.Err, StringComparison.Ordinal);
    }
}
