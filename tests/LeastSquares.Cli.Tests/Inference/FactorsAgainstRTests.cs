using System.Text.Json;
using LeastSquares.Cli.Input;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// Models with categorical columns (a text column, <c>factor(x)</c>) against R's <c>summary(lm())</c>
/// on the committed <c>write.csv</c> files, formula as the R user writes it: coefficient names
/// row by row, estimates, standard errors, t, p, intervals, R², F, log-likelihood, AIC and BIC,
/// by every method that gives inference, the file read whole or in parallel parts.
/// </summary>
public sealed class FactorsAgainstRTests
{
    /// <summary>lm.json cases whose formula has a factor, each coding rule of model.matrix among them.</summary>
    public static TheoryData<string> Cases => new()
    {
        "mtcars_factor_cyl_wt",
        "iris_pl_x_species",
        "iris_dot",
        "iris_0_species",
        "iris_species_m1_pw",
        "toothgrowth_supp_x_dose",
        "warpbreaks_wool_x_tension",
        "plantgrowth_group",
        "chickweight_time_diet",
        "toothgrowth_dose_in_supp",
        "toothgrowth_dose_dose_in_supp",
        "mtcars_wt_x_factor_am",
        "mtcars_wt_in_factor_am_m1",
        "warpbreaks_0_tension_wool",
        "chickweight_time_x_diet",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Summary_agrees_with_R_to_10_digits(string id)
    {
        var c = RReference.Case(id);
        AssertAgrees(c, Fit(c), id);
    }

    [Theory]
    [InlineData("iris_pl_x_species", "qr")]
    [InlineData("toothgrowth_supp_x_dose", "qr")]
    [InlineData("iris_0_species", "qr")]
    [InlineData("chickweight_time_x_diet", "qr")]
    public void Other_methods_agree_with_R_to_10_digits(string id, string method)
    {
        var c = RReference.Case(id);
        AssertAgrees(c, Fit(c, "--method", method), $"{id} {method}");
    }

    [Theory]
    [InlineData("chickweight_time_x_diet", "normal")]
    [InlineData("iris_pl_x_species", "normal")]
    [InlineData("chickweight_time_x_diet", "qr")]
    [InlineData("iris_pl_x_species", "qr")]
    public void Parallel_parts_agree_with_R_to_10_digits(string id, string method)
    {
        // Parts of about 300 bytes: each meets some levels only, in another order than the whole file.
        var c = RReference.Case(id);
        var r = Lsq.RunWith("", context => context with { Parallel = new ParallelSettings { Threads = 2, MinBytes = 0, PartBytes = 300 } },
            "fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, "--summary", "-f", "json", "-q", "--method", method);
        Assert.True(r.Code == 0, r.Err);
        AssertAgrees(c, JsonDocument.Parse(r.Out).RootElement.Clone(), $"{id} {method} in parts");
    }

    [Fact]
    public void Gradient_descent_reaches_Rs_estimates()
    {
        var c = RReference.Case("warpbreaks_wool_x_tension");
        var fit = Fit(c, "--method", "gd", "--tol", "1e-14", "--max-iter", "100000");
        var expected = RReference.Numbers(c.GetProperty("coefficients").GetProperty("estimate"));
        var got = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        for (int j = 0; j < expected.Length; j++)
        {
            RReference.Agrees(expected[j], got[j].GetProperty("estimate").GetDouble(), 8, $"gd estimate[{j}]");
        }
    }

    private static JsonElement Fit(JsonElement c, params string[] more)
    {
        var r = Lsq.Run(["fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, "--summary", "-f", "json", "-q", .. more]);
        Assert.True(r.Code == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement.Clone();
    }

    private static void AssertAgrees(JsonElement c, JsonElement fit, string id)
    {
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        var r = c.GetProperty("coefficients");
        var names = r.GetProperty("names").EnumerateArray().Select(n => n.GetString() == "(Intercept)" ? "(intercept)" : n.GetString()).ToArray();
        Assert.Equal(names, coefficients.Select(e => e.GetProperty("term").GetString()).ToArray());
        RReference.AgreesTable(r, coefficients, id, "estimate", "std_error", "t_value", "p_value");
        RReference.AgreesInterval(c.GetProperty("confint_95"), coefficients, 10, id);
        Assert.Equal(c.GetProperty("n").GetInt64(), fit.GetProperty("n").GetInt64());
        RReference.AgreesFit(c, fit, id);
    }
}
