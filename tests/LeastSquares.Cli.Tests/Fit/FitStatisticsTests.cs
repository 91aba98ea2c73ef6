using System.Globalization;
using System.Text;
using System.Text.Json;

namespace LeastSquares.Cli.Tests;

/// <summary>The statistics of --summary at their edges: undefined values printed as NA or null, never NaN; warnings that do not stop the fit.</summary>
public sealed class FitStatisticsTests
{
    private static Lsq.Result Fit(string csv, params string[] extra)
    {
        using var dir = new TempDir();
        var file = dir.File("data.csv", csv);
        return Lsq.Run(["fit", file, .. extra]);
    }

    private static JsonElement Json(Lsq.Result r)
    {
        Assert.True(r.Code == 0, r.Err);
        return JsonDocument.Parse(r.Out).RootElement;
    }

    [Fact]
    public void As_many_rows_as_coefficients_is_an_exact_fit_with_undefined_statistics()
    {
        var json = Json(Fit("x,y\n1,3\n2,5\n", "-f", "json", "--summary"));
        Assert.Equal(0, json.GetProperty("df_residual").GetInt32());
        Assert.Equal(0, json.GetProperty("mse").GetDouble());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("residual_std_error").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("coefficients")[1].GetProperty("std_error").ValueKind);
        Assert.Equal(2, json.GetProperty("coefficients")[1].GetProperty("estimate").GetDouble(), 12);
        var table = Fit("x,y\n1,3\n2,5\n", "--summary");
        Assert.Contains("residual_std_error  NA on 0 degrees of freedom", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Constant_response_fits_a_flat_line_and_leaves_r_squared_undefined()
    {
        var json = Json(Fit("x,y\n1,4\n2,4\n3,4\n5,4\n", "-f", "json", "--summary"));
        Assert.Equal(4, json.GetProperty("coefficients")[0].GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(0, json.GetProperty("coefficients")[1].GetProperty("estimate").GetDouble(), 12);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("r_squared").ValueKind);
    }

    [Fact]
    public void Zero_over_zero_t_is_undefined_not_nan()
    {
        // A constant response: every residual is 0, so every standard error is 0. The slope's t is
        // 0/0, undefined: NA in the table with its p-value, null in JSON, an empty field in CSV. The
        // intercept's is 4/0, which the table prints as Inf with p below the smallest double;
        // JSON has no infinity, so its t is null there (p 0).
        const string Csv = "x,y\n1,4\n2,4\n3,4\n5,4\n";
        var table = Lsq.RunWithInput(Csv, "fit", "--summary");
        Assert.Equal(0, table.Code);
        // R's summary.lm warns here too: "essentially perfect fit: summary may be unreliable".
        Assert.Equal("lsq: warning: essentially perfect fit: the residuals are zero to about 15 digits, so the standard errors, t, p and intervals rest on rounding and may be unreliable (R's summary.lm warns the same).\n", table.Err);
        var rows = table.Out.Split('\n').Where(l => l.StartsWith("x ", StringComparison.Ordinal) || l.StartsWith("(intercept) ", StringComparison.Ordinal))
            .Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))).ToArray();
        Assert.Equal(["(intercept) 4 0 Inf <1e-308 4 4", "x 0 0 NA NA 0 0"], rows);
        Assert.Contains("\nf_statistic         NA\n", table.Out, StringComparison.Ordinal);

        var json = Json(Lsq.RunWithInput(Csv, "fit", "--summary", "-f", "json"));
        var slope = json.GetProperty("coefficients")[1];
        Assert.Equal(JsonValueKind.Null, slope.GetProperty("t").ValueKind);
        Assert.Equal(JsonValueKind.Null, slope.GetProperty("p_value").ValueKind);
        var intercept = json.GetProperty("coefficients")[0];
        Assert.Equal(JsonValueKind.Null, intercept.GetProperty("t").ValueKind);
        Assert.Equal(0, intercept.GetProperty("p_value").GetDouble());

        var csv = Lsq.RunWithInput(Csv, "fit", "--summary", "-f", "csv");
        Assert.Equal("term,estimate,std_error,t,p_value,ci_low,ci_high\n(intercept),4,0,,0,4,4\nx,0,0,,,0,0\n", csv.Out);
        Assert.DoesNotContain("NaN", table.Out + csv.Out + json.GetRawText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("normal", 0)]
    [InlineData("qr", 0)]
    [InlineData("normal", 4)]
    public void A_plain_fit_warns_of_ill_conditioning_as_the_summary_does(string method, int degree)
    {
        // A plain table needs no covariance, so its fit forms no inverse and estimates the condition
        // number from the triangular factor: the same warning, word for word, as --summary's (whose
        // fit forms the inverse), and the same estimates. Two columns that agree to 11 digits, or
        // the raw powers of x in [1000, 1006].
        var csv = new StringBuilder(degree > 0 ? "x,y\n" : "a,b,y\n");
        for (int i = 1; i <= 30; i++)
        {
            csv.Append(degree > 0
                ? string.Create(CultureInfo.InvariantCulture, $"{1000 + (i / 5.0):R},{(2 * i) + (i % 5):R}\n")
                : string.Create(CultureInfo.InvariantCulture, $"{i},{i + (1e-10 * (i % 3)):R},{(2 * i) + (i % 5):R}\n"));
        }

        string[] model = degree > 0 ? ["-m", method, "--degree", degree.ToString(CultureInfo.InvariantCulture)] : ["-m", method];
        var plain = Fit(csv.ToString(), model);
        var summary = Fit(csv.ToString(), [.. model, "--summary"]);
        Assert.Equal(0, plain.Code);
        Assert.Equal(0, summary.Code);
        Assert.Contains(degree > 0 ? "the raw powers of 'x' are nearly collinear (condition number " : "the design is ill-conditioned (condition number ", plain.Err, StringComparison.Ordinal);
        Assert.Equal(summary.Err, plain.Err);
        var estimates = summary.Out.Split('\n').Skip(3).TakeWhile(l => l.Length > 0).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1].Trim());
        Assert.Equal(estimates, plain.Out.Split('\n').Skip(3).TakeWhile(l => l.Length > 0).Select(l => l.Split("  ", StringSplitOptions.RemoveEmptyEntries)[1].Trim()));
    }

    [Theory]
    [InlineData("normal")]
    [InlineData("qr")]
    public void Ill_conditioned_design_is_reported_not_silent(string method)
    {
        // b = a + 1e-10·(i mod 3): full rank, but the columns agree to 11 digits.
        var csv = new StringBuilder("a,b,y\n");
        for (int i = 1; i <= 30; i++)
        {
            double b = i + (1e-10 * (i % 3));
            csv.Append(CultureInfo.InvariantCulture, $"{i},{b:R},{(2 * i) + (i % 5):R}\n");
        }

        var r = Fit(csv.ToString(), "-m", method, "-f", "json");
        Assert.Equal(0, r.Code);
        Assert.Matches("^lsq: warning: the design is ill-conditioned \\(condition number [0-9.]+e1[0-9]\\)", r.Err);
        var json = Json(r);
        Assert.Equal(method, json.GetProperty("method").GetString());
        Assert.True(json.GetProperty("condition_number").GetDouble() > 1e10);
    }
}
