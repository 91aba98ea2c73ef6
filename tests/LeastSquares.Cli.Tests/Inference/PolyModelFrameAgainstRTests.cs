using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// An orthogonal <c>poly()</c> with rows skipped for a missing cell (--missing skip): R evaluates
/// <c>poly(Temp, 2)</c> on the model frame of every row, then drops the rows with NA elsewhere, so
/// the basis comes from all 153 rows of airquality while the fit has 116 (lm.json's
/// <c>airquality_poly2_*</c> cases). Each figure is compared with R's to 10 digits.
/// </summary>
public sealed class PolyModelFrameAgainstRTests
{
    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    [InlineData("gd")]
    public void Poly_coefficients_agree_with_R_when_rows_are_skipped(string method)
    {
        var c = RReference.Case("airquality_poly2_temp");
        string[] descent = method == "gd" ? ["--tol", "1e-14", "--max-iter", "100000"] : [];
        var fit = Fit(c, ["-m", method, .. descent]);
        Assert.Equal(37, fit.GetProperty("skipped_rows").GetInt64());
        AssertSummary(c, fit, "airquality poly " + method);
    }

    [Fact]
    public void The_table_shows_R_s_second_coefficient_not_the_one_of_the_rows_kept()
    {
        // The reviewer's report: 84.094 (basis of the 116 rows kept) where R has 102.80.
        var c = RReference.Case("airquality_poly2_temp");
        var r = Lsq.Run("fit", RReference.DataFile(c), "Ozone ~ poly(Temp, 2)", "--missing", "skip", "--summary", "-q");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("poly(Temp, 2)2  102.8005592  27.46458883", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HC0")]
    [InlineData("HC3")]
    public void Vcov_agrees_with_sandwich(string type)
    {
        var c = RReference.Case("airquality_poly2_temp");
        AssertRobust(c.GetProperty("robust").GetProperty(type), Fit(c, "--vcov", type), type);
    }

    [Fact]
    public void Cluster_agrees_with_sandwich_vcovCL()
    {
        var c = RReference.Case("airquality_poly2_temp");
        AssertRobust(c.GetProperty("cluster")[0], Fit(c, "--cluster", "Month"), "cluster Month");
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Weighted_rows_keep_the_unweighted_basis_of_every_row(string method)
    {
        var c = RReference.Case("airquality_poly2_temp_wind_w_month");
        AssertSummary(c, Fit(c, "--weights", "Month", "-m", method), "weighted " + method);
    }

    [Theory]
    [InlineData("airquality_poly2_temp_month6", "")]
    [InlineData("airquality_poly2_temp_w_wind_month6", "Wind")]
    public void Each_by_group_has_the_basis_of_its_own_rows_skipped_or_not(string id, string weights)
    {
        var c = RReference.Case(id);
        string[] w = weights.Length == 0 ? [] : ["--weights", weights];
        var r = Lsq.Run(["fit", RReference.DataFile(c), "Ozone ~ poly(Temp, 2)", "--missing", "skip", "--by", "Month", "--summary", "-f", "json", "-q", .. w]);
        Assert.True(r.Code == 0, r.Err);
        var june = r.Out.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement)
            .Single(g => g.GetProperty("group").GetProperty("Month").GetString() == "6");
        AssertSummary(c, june, id);
    }

    [Fact]
    public void Several_files_give_the_basis_of_every_row_of_them_all()
    {
        var c = RReference.Case("airquality_poly2_temp");
        var lines = File.ReadAllLines(RReference.DataFile(c));
        using var dir = new TempDir();
        var a = dir.File("a.csv", string.Join("\n", lines.Take(70)) + "\n");
        var b = dir.File("b.csv", string.Join("\n", lines.Take(1).Concat(lines.Skip(70))) + "\n");
        var r = Lsq.Run("fit", a, b, "Ozone ~ poly(Temp, 2)", "--missing", "skip", "--summary", "-f", "json", "-q");
        Assert.True(r.Code == 0, r.Err);
        AssertSummary(c, JsonDocument.Parse(r.Out).RootElement, "two files");
    }

    [Fact]
    public void A_saved_model_holds_R_s_basis_and_predicts_R_s_values()
    {
        var c = RReference.Case("airquality_poly2_temp");
        using var dir = new TempDir();
        var model = Path.Combine(dir.Path, "m.json");
        var fit = Lsq.Run("fit", RReference.DataFile(c), "Ozone ~ poly(Temp, 2)", "--missing", "skip", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        var saved = JsonDocument.Parse(File.ReadAllText(model)).RootElement.GetProperty("poly")[0];
        var basis = c.GetProperty("poly")[0];
        foreach (var field in new[] { "alpha", "norm2" })
        {
            var expected = RReference.Numbers(basis.GetProperty(field));
            var ours = RReference.Numbers(saved.GetProperty(field));
            Assert.Equal(expected.Length, ours.Length);
            for (int k = 0; k < expected.Length; k++)
            {
                RReference.Agrees(expected[k], ours[k], 13, $"{field}[{k}]");
            }
        }

        var predict = c.GetProperty("predict");
        var newdata = Path.Combine(Lsq.RepoRoot, predict.GetProperty("newdata_file").GetString()!);
        var r = Lsq.Run("predict", "--model", model, newdata, "--interval", "confidence", "--only");
        Assert.True(r.Code == 0, r.Err);
        var rows = r.Out.TrimEnd('\n').Split('\n').Skip(1)
            .Select(l => l.Split(',')[^3..].Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray()).ToArray(); // after the row name
        var expectedFit = RReference.Numbers(predict.GetProperty("fit"));
        var lower = RReference.Numbers(predict.GetProperty("confidence_95").GetProperty("lower"));
        Assert.Equal(expectedFit.Length, rows.Length);
        for (int i = 0; i < rows.Length; i++)
        {
            RReference.Agrees(expectedFit[i], rows[i][0], 10, $"fit[{i}]");
            RReference.Agrees(lower[i], rows[i][1], 10, $"lower[{i}]");
        }
    }

    [Fact]
    public void A_missing_poly_argument_leaves_its_row_out_of_the_basis_too()
    {
        // R's poly() stops on NA ("missing values are not allowed in 'poly'"); lsq builds the basis
        // from the rows where Solar.R is present: R's fit on subset(airquality, !is.na(Solar.R)).
        var c = RReference.Case("airquality_poly2_solar_present");
        var r = Lsq.Run("fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, "--missing", "skip", "--summary", "-f", "json", "-q");
        Assert.True(r.Code == 0, r.Err);
        AssertSummary(c, JsonDocument.Parse(r.Out).RootElement, "Solar.R present");
    }

    [Fact]
    public void Standard_input_cannot_be_read_again_for_the_basis()
    {
        var c = RReference.Case("airquality_poly2_temp");
        var r = Lsq.RunWithInput(File.ReadAllText(RReference.DataFile(c)), "fit", "Ozone ~ poly(Temp, 2)", "--missing", "skip", "-q");
        Expect.Error(r, 1, "inference/poly-skipped-stdin", "poly(Temp, 2)", "standard input", "raw = TRUE");
    }

    [Fact]
    public void A_partial_cannot_carry_the_basis_of_the_skipped_rows()
    {
        var c = RReference.Case("airquality_poly2_temp");
        var r = Lsq.Run("fit", RReference.DataFile(c), "Ozone ~ poly(Temp, 2)", "--missing", "skip", "--partial", "-q");
        Expect.Error(r, 1, "inference/poly-skipped-partial", "poly(Temp, 2)", "--partial", "raw = TRUE");
    }

    [Fact]
    public void Without_skipped_rows_nothing_is_read_again_and_standard_input_works()
    {
        var c = RReference.Case("cars_poly5");
        var r = Lsq.RunWithInput(File.ReadAllText(RReference.DataFile(c)), "fit", "dist ~ poly(speed, 5)", "--missing", "skip", "--summary", "-f", "json", "-q");
        Assert.True(r.Code == 0, r.Err);
        var coefficients = JsonDocument.Parse(r.Out).RootElement.GetProperty("coefficients").EnumerateArray().ToArray();
        RReference.AgreesTable(c.GetProperty("coefficients"), coefficients, "cars_poly5", "estimate", "std_error");
    }

    private static void AssertSummary(JsonElement c, JsonElement fit, string id)
    {
        Assert.Equal(c.GetProperty("nobs").GetInt64(), fit.GetProperty("n").GetInt64());
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        Assert.Equal(c.GetProperty("coefficients").GetProperty("names").EnumerateArray().Select(e => e.GetString()!.Replace("(Intercept)", "(intercept)", StringComparison.Ordinal)),
            coefficients.Select(e => e.GetProperty("term").GetString()));
        RReference.AgreesTable(c.GetProperty("coefficients"), coefficients, id, "estimate", "std_error", "t_value", "p_value");
        RReference.AgreesInterval(c.GetProperty("confint_95"), coefficients, 10, id + " 95%");
        RReference.AgreesFit(c, fit, id);
    }

    private static void AssertRobust(JsonElement r, JsonElement fit, string id)
    {
        var coefficients = fit.GetProperty("coefficients").EnumerateArray().ToArray();
        RReference.AgreesTable(r, coefficients, id, "std_error", "t_value", "p_value");
        RReference.AgreesInterval(r.GetProperty("confint_95"), coefficients, 10, id + " 95%");
    }

    private static JsonElement Fit(JsonElement c, params string[] more)
    {
        var r = Lsq.Run(["fit", RReference.DataFile(c), c.GetProperty("formula").GetString()!, "--missing", "skip", "--summary", "-f", "json", "-q", .. more]);
        Assert.True(r.Code == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement.Clone();
    }
}
