using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary><c>lsq anova</c> against R's <c>anova(m)</c> and <c>anova(m1, m2)</c> (lm.json's anova tables).</summary>
public sealed class AnovaTests
{
    private static JsonElement Table(string section, string id) =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Lsq.RepoRoot, "tests", "reference", "r", "lm.json"))).RootElement
            .GetProperty(section).EnumerateArray().Single(a => a.GetProperty("id").GetString() == id).Clone();

    private static string[] Weights(JsonElement a) =>
        a.GetProperty("weights").ValueKind == JsonValueKind.String ? ["--weights", a.GetProperty("weights").GetString()!] : [];

    /// <summary>The sequential tables (a factor is one row with its df; weighted factor models are not supported yet).</summary>
    [Theory]
    [InlineData("warpbreaks_wool_x_tension", "")]
    [InlineData("toothgrowth_supp_x_dose", "")]
    [InlineData("mtcars_factor_cyl_wt", "")]
    [InlineData("iris_pl_x_species", "")]
    [InlineData("airquality_ozone", "--missing skip")]
    [InlineData("mtcars_wt_x_hp", "")]
    [InlineData("mtcars_poly2_raw_hp", "")]
    [InlineData("swiss_dot", "")]
    [InlineData("cars_w_speed_quadratic", "")]
    [InlineData("iris_pl_species_w_pw", "")]
    [InlineData("mtcars_w_carb_factor_cyl_x_wt", "")]
    [InlineData("mtcars_w_carb_poly2_am", "")]
    [InlineData("iris_null", "")] // the intercept alone: one row, the residuals
    public void Sequential_table_agrees_with_R_anova_to_10_digits(string id, string extra)
    {
        var a = Table("anova_sequential", id);
        var run = Lsq.Run(["anova", Path.Combine(Lsq.RepoRoot, a.GetProperty("data_file").GetString()!), a.GetProperty("formula").GetString()!,
            .. Weights(a), "-f", "json", "-q", .. extra.Length == 0 ? Array.Empty<string>() : extra.Split(' ')]);
        Assert.True(run.Code == 0, run.Err);
        var ours = JsonDocument.Parse(run.Out).RootElement.GetProperty("rows").EnumerateArray().ToArray();
        var rows = a.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(rows.Length, ours.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            var what = $"{id} row {i}";
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
                    RReference.Agrees(expected.GetDouble(), ours[i].GetProperty(field).GetDouble(), 10, $"{what} {field}");
                }
            }
        }
    }

    [Theory]
    [InlineData("mtcars_wt_vs_wt_hp_qsec")]
    [InlineData("iris_pl_vs_pl_x_species")]
    [InlineData("warpbreaks_additive_vs_interaction")]
    [InlineData("cars_w_speed_linear_vs_quadratic")]
    [InlineData("swiss_two_vs_dot")]
    [InlineData("mtcars_w_carb_wt_vs_wt_x_hp")]
    [InlineData("iris_null_vs_species")] // the one-way ANOVA: the null model against the factor
    [InlineData("cars_w_speed_null_vs_speed")]
    public void Nested_models_agree_with_R_anova_m1_m2_to_10_digits(string id)
    {
        var a = Table("anova_nested", id);
        var formulas = a.GetProperty("formulas").EnumerateArray().Select(f => f.GetString()!).ToArray();
        var run = Lsq.Run(["anova", Path.Combine(Lsq.RepoRoot, a.GetProperty("data_file").GetString()!), formulas[0], formulas[1], .. Weights(a), "-f", "csv"]);
        Assert.True(run.Code == 0, run.Err);
        var lines = run.Out.TrimEnd('\n').Split('\n');
        Assert.Equal("model,df_residual,rss,df,sum_sq,f,p_value", lines[0]);
        var rows = a.GetProperty("rows").EnumerateArray().ToArray();
        Assert.Equal(rows.Length + 1, lines.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            var cells = lines[i + 1].Split(',');
            Assert.Equal(rows[i].GetProperty("model").GetString(), cells[0]);
            Assert.Equal(rows[i].GetProperty("df_residual").GetDouble(), double.Parse(cells[1], CultureInfo.InvariantCulture));
            string[] fields = ["rss", "df", "sum_sq", "f", "p_value"];
            for (int k = 0; k < fields.Length; k++)
            {
                var expected = rows[i].GetProperty(fields[k]);
                if (expected.ValueKind == JsonValueKind.Null)
                {
                    Assert.Equal("", cells[k + 2]); // the first model's test fields are empty
                }
                else
                {
                    RReference.Agrees(expected.GetDouble(), double.Parse(cells[k + 2], CultureInfo.InvariantCulture), 10, $"{id} row {i} {fields[k]}");
                }
            }
        }
    }

    [Fact]
    public void Column_lists_give_one_row_per_column_and_a_table_by_default()
    {
        var a = Table("anova_sequential", "swiss_dot");
        var file = Path.Combine(Lsq.RepoRoot, a.GetProperty("data_file").GetString()!);
        var run = Lsq.Run("anova", file, "-y", "Fertility", "-x", "Agriculture,Examination,Education,Catholic,Infant.Mortality");
        Assert.True(run.Code == 0, run.Err);
        var lines = run.Out.Split('\n');
        Assert.StartsWith("Fertility ~ Agriculture + Examination + Education + Catholic + Infant.Mortality", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("term", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("Agriculture", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("Residuals", lines[8], StringComparison.Ordinal);
        // Agriculture's sum of squares, as R prints it: 894.8
        Assert.Contains("894.8", lines[3], StringComparison.Ordinal);
    }
}
