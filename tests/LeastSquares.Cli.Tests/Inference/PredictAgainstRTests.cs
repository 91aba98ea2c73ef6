using System.Globalization;
using System.Text.Json;

namespace LeastSquares.Cli.Tests.Inference;

/// <summary>
/// <c>lsq predict --interval</c> against R's <c>predict.lm(interval =, level =)</c> on the new rows
/// committed beside lm.json, and <c>--diagnostics</c> against <c>residuals</c>, <c>hatvalues</c>,
/// <c>rstandard</c> and <c>cooks.distance</c> on the rows fitted: each from a model saved by
/// <c>lsq fit --save</c>.
/// </summary>
public sealed class PredictAgainstRTests
{
    /// <summary>Case id and the model as lsq is told it (the cases of lm.json with numeric predictors that lsq's formulas take).</summary>
    public static TheoryData<string, string> IntervalCases => new()
    {
        { "mtcars_wt_hp", "mpg ~ wt + hp" },
        { "mtcars_wt_x_hp", "mpg ~ wt * hp" },
        { "mtcars_poly2_raw", "mpg ~ poly(wt, 2, raw = TRUE)" },
        { "cars_quadratic", "dist ~ speed + I(speed^2)" },
        { "orange_age", "circumference ~ age" },
        { "airquality_ozone", "Ozone ~ Solar.R + Wind + Temp" },
    };

    [Theory]
    [MemberData(nameof(IntervalCases))]
    public void Intervals_agree_with_R_predict_lm_to_10_digits(string id, string formula)
    {
        var c = RReference.Case(id);
        var predict = c.GetProperty("predict");
        using var dir = new TempDir();
        var model = Save(dir, c, formula);
        var newdata = Path.Combine(Lsq.RepoRoot, predict.GetProperty("newdata_file").GetString()!);
        var fit = RReference.Numbers(predict.GetProperty("fit"));
        foreach (var (interval, level, field) in new[]
        {
            ("confidence", "0.95", "confidence_95"), ("confidence", "0.9", "confidence_90"),
            ("prediction", "0.95", "prediction_95"), ("prediction", "0.9", "prediction_90"),
        })
        {
            var args = new List<string> { "predict", "--model", model, newdata, "--interval", interval };
            if (level != "0.95")
            {
                args.AddRange(["--level", level]);
            }

            var r = Lsq.Run([.. args]);
            Assert.True(r.Code == 0, r.Err);
            var (header, rows) = Table(r.Out);
            Assert.Equal(["prediction", "lower", "upper"], header[^3..]);
            var lower = RReference.Numbers(predict.GetProperty(field).GetProperty("lower"));
            var upper = RReference.Numbers(predict.GetProperty(field).GetProperty("upper"));
            Assert.Equal(fit.Length, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                RReference.Agrees(fit[i], rows[i][^3], 10, $"{id} fit[{i}]");
                RReference.Agrees(lower[i], rows[i][^2], 10, $"{id} {field} lower[{i}]");
                RReference.Agrees(upper[i], rows[i][^1], 10, $"{id} {field} upper[{i}]");
            }
        }
    }

    [Theory]
    [InlineData("mtcars_wt_hp", "mpg ~ wt + hp")]
    [InlineData("airquality_ozone", "Ozone ~ Solar.R + Wind + Temp")]
    [InlineData("mtcars_logmpg_wt", "log(mpg) ~ wt")] // the residual is log(mpg)'s
    public void Diagnostics_of_the_fitted_rows_agree_with_R_influence_to_10_digits(string id, string formula)
    {
        var c = RReference.Case(id);
        var influence = c.GetProperty("influence");
        using var dir = new TempDir();
        var model = Save(dir, c, formula);

        // The rows R used (airquality: those without NA in the model's columns), as the data file holds them.
        var lines = File.ReadAllLines(RReference.DataFile(c));
        var used = influence.GetProperty("rows").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var data = dir.File("used.csv", string.Join("\n", [lines[0], .. used.Select(row => lines[row])]) + "\n");

        var r = Lsq.Run("predict", "--model", model, data, "--diagnostics");
        Assert.True(r.Code == 0, r.Err);
        var (header, rows) = Table(r.Out);
        Assert.Equal(["prediction", "residual", "leverage", "std_residual", "cooks_distance"], header[^5..]);
        string[] fields = ["fitted", "residuals", "hatvalues", "rstandard", "cooks_distance"];
        for (int k = 0; k < fields.Length; k++)
        {
            var expected = RReference.Numbers(influence.GetProperty(fields[k]));
            Assert.Equal(expected.Length, rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                RReference.Agrees(expected[i], rows[i][header.Length - 5 + k], 10, $"{id} {fields[k]}[{i}]");
            }
        }
    }

    [Fact]
    public void Interval_and_diagnostics_together_come_in_that_order_and_only_keeps_just_them()
    {
        var c = RReference.Case("mtcars_wt_hp");
        using var dir = new TempDir();
        var model = Save(dir, c, "mpg ~ wt + hp");
        var r = Lsq.Run("predict", "--model", model, RReference.DataFile(c), "--interval", "prediction", "--diagnostics", "--only");
        Assert.True(r.Code == 0, r.Err);
        var (header, rows) = Table(r.Out);
        // The row names of R's write.csv stay first, each beside its row's numbers.
        Assert.Equal(["", "prediction", "lower", "upper", "residual", "leverage", "std_residual", "cooks_distance"], header);
        Assert.StartsWith("Mazda RX4,", r.Out.Split('\n')[1], StringComparison.Ordinal);
        var hat = RReference.Numbers(c.GetProperty("influence").GetProperty("hatvalues"));
        var sigma = c.GetProperty("sigma").GetDouble();
        double t = MathNet.Numerics.Distributions.StudentT.InvCDF(0, 1, 29, 0.975);
        for (int i = 0; i < rows.Length; i++)
        {
            // The prediction interval of a fitted row is ŷ ± t·σ̂·√(1 + h).
            Assert.Equal(hat[i], rows[i][5], 1e-12);
            Assert.Equal(2 * t * sigma * Math.Sqrt(1 + hat[i]), rows[i][3] - rows[i][2], 1e-8);
        }
    }

    /// <summary>Fits the case's data with lsq and saves the model.</summary>
    private static string Save(TempDir dir, JsonElement c, string formula)
    {
        var model = Path.Combine(dir.Path, "model.json");
        var fit = Lsq.Run("fit", RReference.DataFile(c), formula, "--missing", "skip", "--save", model, "-q");
        Assert.True(fit.Code == 0, fit.Err);
        return model;
    }

    /// <summary>The header and the numbers of the last columns of each row (a row name in the first column is read as NaN).</summary>
    private static (string[] Header, double[][] Rows) Table(string csv)
    {
        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0].Split(',');
        var rows = lines[1..].Select(l => l.Split(',').Select(f =>
            double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) ? v : double.NaN).ToArray()).ToArray();
        return (header, rows);
    }
}
